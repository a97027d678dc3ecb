// The tasks table: one row per task, holding all a task needs to be recovered after a crash.
import type Database from 'better-sqlite3'
import type { TaskState } from '../../../src-preload/contract'

export interface TaskRecord {
  id: string
  name: string
  state: TaskState
  plan: string
  repoUrl: string | null
  baseBranch: string | null
  targetBranch: string | null
  targetRepoPath: string | null
  completionAction: string | null
  parentTaskId: string | null
  depth: number
  contractId: string | null
  continueFromTaskId: string | null
  copyFiles: string[] | null
  isOrchestrator: boolean
  isSupervisor: boolean
  autonomousLoop: boolean
  worktreePath: string | null
  agentSessionId: string | null
  patchBaseSha: string | null
  spawnJson: string | null
  errorMessage: string | null
  exitCode: number | null
  createdAt: string
  startedAt: string | null
  completedAt: string | null
  updatedAt: string
  /** The agent process of the current run (absent when none runs): its pid and its identity
   * (boot id + /proc start time), so a later core can end it without hitting a recycled pid. */
  agentPid?: number
  agentIdentity?: string
  /** The branch this task's branch was merged into from the app (absent: not merged). */
  mergedInto?: string
  /** When the user archived the task (absent: not archived). */
  archivedAt?: string
  /** The agent CLI (absent: claude). */
  agent?: string
  /** Usage so far, summed over the task's runs (absent until the agent reported some). */
  inputTokens?: number
  outputTokens?: number
  cachedInputTokens?: number
  costUsd?: number
}

interface Row {
  [column: string]: string | number | null
}

const COLUMNS: [keyof TaskRecord, string][] = [
  ['id', 'id'], ['name', 'name'], ['state', 'state'], ['plan', 'plan'], ['repoUrl', 'repo_url'],
  ['baseBranch', 'base_branch'], ['targetBranch', 'target_branch'], ['targetRepoPath', 'target_repo_path'],
  ['completionAction', 'completion_action'], ['parentTaskId', 'parent_task_id'], ['depth', 'depth'],
  ['contractId', 'contract_id'], ['continueFromTaskId', 'continue_from_task_id'], ['copyFiles', 'copy_files'],
  ['isOrchestrator', 'is_orchestrator'], ['isSupervisor', 'is_supervisor'], ['autonomousLoop', 'autonomous_loop'],
  ['worktreePath', 'worktree_path'], ['agentSessionId', 'agent_session_id'], ['patchBaseSha', 'patch_base_sha'],
  ['spawnJson', 'spawn_json'], ['errorMessage', 'error_message'], ['exitCode', 'exit_code'],
  ['createdAt', 'created_at'], ['startedAt', 'started_at'], ['completedAt', 'completed_at'], ['updatedAt', 'updated_at'],
  ['agentPid', 'agent_pid'], ['agentIdentity', 'agent_identity'], ['mergedInto', 'merged_into'], ['archivedAt', 'archived_at'],
  ['agent', 'agent'], ['inputTokens', 'input_tokens'], ['outputTokens', 'output_tokens'],
  ['cachedInputTokens', 'cached_input_tokens'], ['costUsd', 'cost_usd'],
]
/** Optional fields: left out of a record while NULL in the row. */
const OPTIONAL = new Set<keyof TaskRecord>([
  'agentPid', 'agentIdentity', 'mergedInto', 'archivedAt', 'agent', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'costUsd',
])
const BOOLEAN = new Set<keyof TaskRecord>(['isOrchestrator', 'isSupervisor', 'autonomousLoop'])

function toRow(task: TaskRecord): Row {
  const row: Row = {}
  for (const [field, column] of COLUMNS) {
    const v = task[field]
    row[column] = field === 'copyFiles' ? (v ? JSON.stringify(v) : null) : typeof v === 'boolean' ? (v ? 1 : 0) : ((v ?? null) as string | number | null)
  }
  return row
}

function fromRow(row: Row): TaskRecord {
  const out: Record<string, unknown> = {}
  for (const [field, column] of COLUMNS) {
    const v = row[column]
    if (OPTIONAL.has(field) && (v === null || v === undefined)) continue
    out[field] = field === 'copyFiles' ? (v ? (JSON.parse(String(v)) as string[]) : null) : BOOLEAN.has(field) ? v === 1 : v
  }
  return out as unknown as TaskRecord
}

export class TaskRepository {
  private readonly upsertStmt: Database.Statement
  private readonly getStmt: Database.Statement
  private readonly deleteStmt: Database.Statement

  constructor(private readonly db: Database.Database) {
    const cols = COLUMNS.map(([, c]) => c)
    this.upsertStmt = db.prepare(
      `INSERT INTO tasks (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})
       ON CONFLICT(id) DO UPDATE SET ${cols.filter((c) => c !== 'id' && c !== 'created_at').map((c) => `${c} = excluded.${c}`).join(', ')}`,
    )
    this.getStmt = db.prepare('SELECT * FROM tasks WHERE id = ?')
    this.deleteStmt = db.prepare('DELETE FROM tasks WHERE id = ?')
  }

  save(task: TaskRecord): void {
    this.upsertStmt.run(toRow(task))
  }

  get(id: string): TaskRecord | undefined {
    const row = this.getStmt.get(id) as Row | undefined
    return row ? fromRow(row) : undefined
  }

  list(filter: { states?: readonly TaskState[]; limit?: number } = {}): TaskRecord[] {
    const where = filter.states?.length ? `WHERE state IN (${filter.states.map(() => '?').join(', ')})` : ''
    const limit = filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : ''
    const rows = this.db.prepare(`SELECT * FROM tasks ${where} ORDER BY created_at DESC, id ${limit}`).all(...(filter.states ?? [])) as Row[]
    return rows.map(fromRow)
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM tasks').get() as { n: number }).n
  }

  updateState(id: string, state: TaskState, patch: Partial<Pick<TaskRecord, 'errorMessage' | 'exitCode' | 'startedAt' | 'completedAt'>> = {}): void {
    const current = this.get(id)
    if (!current) return
    this.save({ ...current, ...patch, state, updatedAt: new Date().toISOString() })
  }

  /** Tasks (in any state) that still record an agent process. */
  withAgentPid(): TaskRecord[] {
    return (this.db.prepare('SELECT * FROM tasks WHERE agent_pid IS NOT NULL ORDER BY created_at, id').all() as Row[]).map(fromRow)
  }

  delete(id: string): void {
    this.deleteStmt.run(id)
  }
}
