// 002: the server outbox. Every message for the Makima server is written here before it is sent and
// removed once the server has confirmed it, so nothing is lost across a reconnect or a restart.
export const sql = `
CREATE TABLE server_outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- send order
  type       TEXT NOT NULL,                      -- message type (camelCase), 'notice' for compaction notices
  task_id    TEXT,
  frame      TEXT NOT NULL,                      -- the JSON text exactly as it goes on the wire
  bytes      INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX server_outbox_type ON server_outbox(type, seq);
`
