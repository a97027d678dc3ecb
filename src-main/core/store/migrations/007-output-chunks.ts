// 007: task output in chunks. task_output was WITHOUT ROWID with one ~1 KB row per line: such rows
// spill to overflow pages and 1 GB of output took 4.46 GB. Lines are now packed into chunk rows of
// up to 64 KiB (output-codec.ts) in a rowid table, appended in rowid order so pages fill up; a
// per-task row keeps the counts, so no page ever runs COUNT(*). Existing lines are converted one
// chunk per line (still far smaller than before; new output is packed) and the old table dropped.
export const sql = `
CREATE TABLE output_tasks (
  task_key     INTEGER PRIMARY KEY,
  task_id      TEXT NOT NULL UNIQUE,
  last_seq     INTEGER NOT NULL DEFAULT 0,   -- the newest line's seq: the task's total
  lines        INTEGER NOT NULL DEFAULT 0,   -- lines stored now
  bytes        INTEGER NOT NULL DEFAULT 0,   -- their data's bytes
  drop_from    INTEGER,                      -- lines drop_from..drop_to were dropped by the cap;
  drop_to      INTEGER,                      -- a marker line stands at seq drop_from
  dropped_bytes INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE output_chunks (
  id         INTEGER PRIMARY KEY,
  task_key   INTEGER NOT NULL,
  first_seq  INTEGER NOT NULL,
  last_seq   INTEGER NOT NULL,
  bytes      INTEGER NOT NULL,               -- data bytes of its lines
  created_at INTEGER NOT NULL,               -- ms since the epoch
  body       BLOB NOT NULL
);
CREATE UNIQUE INDEX output_chunks_seq ON output_chunks(task_key, last_seq);

INSERT INTO output_tasks (task_id, last_seq, lines, bytes)
  SELECT task_id, MAX(seq), COUNT(*), SUM(length(CAST(data AS BLOB))) FROM task_output GROUP BY task_id;

-- One line per chunk, in the codec's layout: the header JSON, a newline, then the data.
INSERT INTO output_chunks (task_key, first_seq, last_seq, bytes, created_at, body)
  SELECT k.task_key, o.seq, o.seq, length(CAST(o.data AS BLOB)),
         CAST((julianday(o.created_at) - 2440587.5) * 86400000 AS INTEGER),
         CAST(o.header || char(10) || o.data AS BLOB)
  FROM (SELECT *, json_object('k', json_array(kind), 'l', json_array(0, length(CAST(data AS BLOB)))) AS header FROM task_output) o
  JOIN output_tasks k ON k.task_id = o.task_id
  ORDER BY o.task_id, o.seq;

DROP TABLE task_output;
`
