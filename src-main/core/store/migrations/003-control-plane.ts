// 003: the embedded control plane — contracts and everything hung on them (documents, progress
// reports, questions to the user, checkpoints, merges, pull requests) and the subtasks an
// orchestrator has planned but not started yet.
export const sql = `
CREATE TABLE contracts (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL,
  type               TEXT NOT NULL,              -- simple | specification
  phase              TEXT NOT NULL,              -- research | specify | plan | execute | review
  status             TEXT NOT NULL,              -- active | completed
  goal               TEXT NOT NULL,
  repo_url           TEXT,
  target_branch      TEXT,
  supervisor_task_id TEXT,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  completed_at       TEXT
);
CREATE INDEX contracts_status ON contracts(status);

CREATE TABLE contract_phase_log (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  from_phase  TEXT,
  to_phase    TEXT NOT NULL,
  by          TEXT NOT NULL,                     -- a task id, or 'user'
  at          TEXT NOT NULL
);

CREATE TABLE contract_files (
  id          TEXT PRIMARY KEY,
  contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  content     TEXT NOT NULL,
  created_by  TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX contract_files_contract ON contract_files(contract_id);

CREATE TABLE progress_reports (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id TEXT,
  task_id     TEXT NOT NULL,
  kind        TEXT NOT NULL,                     -- report | completion | done
  text        TEXT NOT NULL,
  data        TEXT,                              -- JSON extras (completion files, code flag)
  created_at  TEXT NOT NULL
);
CREATE INDEX progress_reports_contract ON progress_reports(contract_id, seq);
CREATE INDEX progress_reports_task ON progress_reports(task_id, seq);

CREATE TABLE questions (
  id              TEXT PRIMARY KEY,
  task_id         TEXT NOT NULL,
  contract_id     TEXT,
  question        TEXT NOT NULL,
  choices         TEXT NOT NULL,                 -- JSON array
  context         TEXT,
  timeout_seconds INTEGER NOT NULL,
  state           TEXT NOT NULL,                 -- pending | answered | timed-out | cancelled
  answer          TEXT,
  created_at      TEXT NOT NULL,
  expires_at      TEXT,
  answered_at     TEXT
);
CREATE INDEX questions_state ON questions(state);

CREATE TABLE checkpoints (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id       TEXT NOT NULL,
  contract_id   TEXT,
  sha           TEXT NOT NULL,
  branch        TEXT,
  message       TEXT NOT NULL,
  lines_added   INTEGER,
  lines_removed INTEGER,
  files         TEXT,                            -- JSON [{action, path}]
  created_at    TEXT NOT NULL
);
CREATE INDEX checkpoints_task ON checkpoints(task_id, seq);

CREATE TABLE merge_trackers (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  owner_id      TEXT NOT NULL,                   -- the contract (supervisor merges) or orchestrator task
  task_id       TEXT NOT NULL,                   -- the merged (or skipped) task
  kind          TEXT NOT NULL,                   -- merged | skipped
  source_branch TEXT,
  target_branch TEXT,
  sha           TEXT,
  squash        INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
);
CREATE INDEX merge_trackers_owner ON merge_trackers(owner_id, seq);

CREATE TABLE pull_requests (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  contract_id TEXT,
  task_id     TEXT NOT NULL,
  url         TEXT NOT NULL,
  number      INTEGER,
  branch      TEXT NOT NULL,
  base        TEXT NOT NULL,
  title       TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX pull_requests_contract ON pull_requests(contract_id);

CREATE TABLE planned_tasks (
  id               TEXT PRIMARY KEY,
  parent_task_id   TEXT NOT NULL,                -- the orchestrator
  name             TEXT NOT NULL,
  plan             TEXT NOT NULL,
  continue_from_id TEXT,
  files            TEXT,                         -- JSON array of paths copied from the orchestrator
  created_at       TEXT NOT NULL,
  started_at       TEXT
);
CREATE INDEX planned_tasks_parent ON planned_tasks(parent_task_id);
`
