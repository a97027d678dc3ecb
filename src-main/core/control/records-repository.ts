// Store repositories for questions, checkpoints, merge trackers, pull requests and the subtasks an
// orchestrator has planned (created but not started).
import type Database from 'better-sqlite3'

export type QuestionState = 'pending' | 'answered' | 'timed-out' | 'cancelled'

export interface QuestionRecord {
  id: string
  taskId: string
  contractId: string | null
  question: string
  choices: string[]
  context: string | null
  timeoutSeconds: number
  state: QuestionState
  answer: string | null
  createdAt: string
  expiresAt: string | null
  answeredAt: string | null
}

export interface CheckpointRecord {
  seq: number
  taskId: string
  contractId: string | null
  sha: string
  branch: string | null
  message: string
  linesAdded: number | null
  linesRemoved: number | null
  files: { action: string; path: string }[]
  createdAt: string
}

export interface MergeTrackerEntry {
  seq: number
  ownerId: string
  taskId: string
  kind: 'merged' | 'skipped'
  sourceBranch: string | null
  targetBranch: string | null
  sha: string | null
  squash: boolean
  createdAt: string
}

export interface PullRequestRecord {
  contractId: string | null
  taskId: string
  url: string
  number: number | null
  branch: string
  base: string
  title: string
  createdAt: string
}

export interface PlannedTask {
  id: string
  parentTaskId: string
  name: string
  plan: string
  continueFromId: string | null
  files: string[] | null
  createdAt: string
  startedAt: string | null
}

type Row = Record<string, string | number | null>
const now = () => new Date().toISOString()
const str = (v: string | number | null | undefined): string | null => (v === null || v === undefined ? null : String(v))
const json = <T>(v: string | number | null | undefined, fallback: T): T => (v === null || v === undefined ? fallback : (JSON.parse(String(v)) as T))

function toQuestion(r: Row): QuestionRecord {
  return {
    id: String(r.id), taskId: String(r.task_id), contractId: str(r.contract_id), question: String(r.question), choices: json(r.choices, []),
    context: str(r.context), timeoutSeconds: Number(r.timeout_seconds), state: r.state as QuestionState, answer: str(r.answer),
    createdAt: String(r.created_at), expiresAt: str(r.expires_at), answeredAt: str(r.answered_at),
  }
}

export class QuestionRepository {
  constructor(private readonly db: Database.Database) {}

  insert(q: Omit<QuestionRecord, 'state' | 'answer' | 'answeredAt'>): QuestionRecord {
    this.db
      .prepare(
        `INSERT INTO questions (id, task_id, contract_id, question, choices, context, timeout_seconds, state, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(q.id, q.taskId, q.contractId, q.question, JSON.stringify(q.choices), q.context, q.timeoutSeconds, q.createdAt, q.expiresAt)
    return this.get(q.id)!
  }

  get(id: string): QuestionRecord | undefined {
    const r = this.db.prepare('SELECT * FROM questions WHERE id = ?').get(id) as Row | undefined
    return r ? toQuestion(r) : undefined
  }

  list(opts: { pendingOnly?: boolean; limit?: number } = {}): QuestionRecord[] {
    const where = opts.pendingOnly ? "WHERE state = 'pending'" : ''
    return (this.db.prepare(`SELECT * FROM questions ${where} ORDER BY created_at DESC, id LIMIT ?`).all(opts.limit ?? 1000) as Row[]).map(toQuestion)
  }

  /** Settles a pending question; undefined when it was not pending (already settled or unknown). */
  settle(id: string, state: Exclude<QuestionState, 'pending'>, answer: string | null): QuestionRecord | undefined {
    const r = this.db
      .prepare("UPDATE questions SET state = ?, answer = ?, answered_at = ? WHERE id = ? AND state = 'pending'")
      .run(state, answer, now(), id)
    return r.changes ? this.get(id) : undefined
  }
}

export class CheckpointRepository {
  constructor(private readonly db: Database.Database) {}

  add(c: Omit<CheckpointRecord, 'seq' | 'createdAt'>): CheckpointRecord {
    const at = now()
    const info = this.db
      .prepare(
        `INSERT INTO checkpoints (task_id, contract_id, sha, branch, message, lines_added, lines_removed, files, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.taskId, c.contractId, c.sha, c.branch, c.message, c.linesAdded, c.linesRemoved, JSON.stringify(c.files), at)
    return { ...c, seq: Number(info.lastInsertRowid), createdAt: at }
  }

  forTask(taskId: string): CheckpointRecord[] {
    const rows = this.db.prepare('SELECT * FROM checkpoints WHERE task_id = ? ORDER BY seq').all(taskId) as Row[]
    return rows.map((r) => ({
      seq: Number(r.seq), taskId: String(r.task_id), contractId: str(r.contract_id), sha: String(r.sha), branch: str(r.branch),
      message: String(r.message), linesAdded: r.lines_added === null ? null : Number(r.lines_added),
      linesRemoved: r.lines_removed === null ? null : Number(r.lines_removed), files: json(r.files, []), createdAt: String(r.created_at),
    }))
  }
}

export class MergeTrackerRepository {
  constructor(private readonly db: Database.Database) {}

  record(e: Omit<MergeTrackerEntry, 'seq' | 'createdAt'>): MergeTrackerEntry {
    const at = now()
    const info = this.db
      .prepare(
        `INSERT INTO merge_trackers (owner_id, task_id, kind, source_branch, target_branch, sha, squash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.ownerId, e.taskId, e.kind, e.sourceBranch, e.targetBranch, e.sha, e.squash ? 1 : 0, at)
    return { ...e, seq: Number(info.lastInsertRowid), createdAt: at }
  }

  forOwner(ownerId: string): MergeTrackerEntry[] {
    const rows = this.db.prepare('SELECT * FROM merge_trackers WHERE owner_id = ? ORDER BY seq').all(ownerId) as Row[]
    return rows.map((r) => ({
      seq: Number(r.seq), ownerId: String(r.owner_id), taskId: String(r.task_id), kind: r.kind as MergeTrackerEntry['kind'],
      sourceBranch: str(r.source_branch), targetBranch: str(r.target_branch), sha: str(r.sha), squash: r.squash === 1, createdAt: String(r.created_at),
    }))
  }

  // ── Pull requests (delivered merges) ──

  addPullRequest(p: Omit<PullRequestRecord, 'createdAt'>): PullRequestRecord {
    const at = now()
    this.db
      .prepare('INSERT INTO pull_requests (contract_id, task_id, url, number, branch, base, title, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(p.contractId, p.taskId, p.url, p.number, p.branch, p.base, p.title, at)
    return { ...p, createdAt: at }
  }

  pullRequests(contractId: string): PullRequestRecord[] {
    const rows = this.db.prepare('SELECT * FROM pull_requests WHERE contract_id = ? ORDER BY seq').all(contractId) as Row[]
    return rows.map((r) => ({
      contractId: str(r.contract_id), taskId: String(r.task_id), url: String(r.url), number: r.number === null ? null : Number(r.number),
      branch: String(r.branch), base: String(r.base), title: String(r.title), createdAt: String(r.created_at),
    }))
  }
}

function toPlanned(r: Row): PlannedTask {
  return {
    id: String(r.id), parentTaskId: String(r.parent_task_id), name: String(r.name), plan: String(r.plan), continueFromId: str(r.continue_from_id),
    files: json<string[] | null>(r.files, null), createdAt: String(r.created_at), startedAt: str(r.started_at),
  }
}

export class PlannedTaskRepository {
  constructor(private readonly db: Database.Database) {}

  add(p: Omit<PlannedTask, 'createdAt' | 'startedAt'>): PlannedTask {
    this.db
      .prepare('INSERT INTO planned_tasks (id, parent_task_id, name, plan, continue_from_id, files, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(p.id, p.parentTaskId, p.name, p.plan, p.continueFromId, p.files ? JSON.stringify(p.files) : null, now())
    return this.get(p.id)!
  }

  get(id: string): PlannedTask | undefined {
    const r = this.db.prepare('SELECT * FROM planned_tasks WHERE id = ?').get(id) as Row | undefined
    return r ? toPlanned(r) : undefined
  }

  forParent(parentTaskId: string): PlannedTask[] {
    return (this.db.prepare('SELECT * FROM planned_tasks WHERE parent_task_id = ? ORDER BY created_at, id').all(parentTaskId) as Row[]).map(toPlanned)
  }

  markStarted(id: string): void {
    this.db.prepare('UPDATE planned_tasks SET started_at = ? WHERE id = ? AND started_at IS NULL').run(now(), id)
  }
}
