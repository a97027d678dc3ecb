// 001: tasks (everything needed to recover a task after a crash), append-only output, settings.
export const sql = `
CREATE TABLE tasks (
  id                    TEXT PRIMARY KEY,
  name                  TEXT NOT NULL,
  state                 TEXT NOT NULL,
  plan                  TEXT NOT NULL DEFAULT '',
  repo_url              TEXT,
  base_branch           TEXT,
  target_branch         TEXT,
  target_repo_path      TEXT,
  completion_action     TEXT,
  parent_task_id        TEXT,
  depth                 INTEGER NOT NULL DEFAULT 0,
  contract_id           TEXT,
  continue_from_task_id TEXT,
  copy_files            TEXT,            -- JSON array of paths
  is_orchestrator       INTEGER NOT NULL DEFAULT 0,
  is_supervisor         INTEGER NOT NULL DEFAULT 0,
  autonomous_loop       INTEGER NOT NULL DEFAULT 0,
  worktree_path         TEXT,            -- the original's overlay_path
  agent_session_id      TEXT,            -- Claude Code session id from system/init, for --resume
  patch_base_sha        TEXT,
  spawn_json            TEXT,            -- the whole SpawnTask command, for re-spawn and recovery
  error_message         TEXT,
  exit_code             INTEGER,
  created_at            TEXT NOT NULL,
  started_at            TEXT,
  completed_at          TEXT,
  updated_at            TEXT NOT NULL
);
CREATE INDEX tasks_state ON tasks(state);
CREATE INDEX tasks_contract ON tasks(contract_id);
CREATE INDEX tasks_parent ON tasks(parent_task_id);

CREATE TABLE task_output (
  task_id    TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  kind       TEXT NOT NULL,              -- system | assistant | user | result | stream_event | json | text | stderr | notice
  data       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (task_id, seq)
) WITHOUT ROWID;

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,              -- JSON
  updated_at TEXT NOT NULL
);
`
