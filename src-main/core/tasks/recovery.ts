// Crash recovery and worktree health.
// - At start: every task the database still holds as active (the core died or was killed while it
//   ran) is checked. Working directory intact → taskRecoveryDetected, and the task is offered for
//   resume (resumeRecovered(), or a spawnTask with resumeSession from the server); missing → failed.
// - Periodically: a running or starting task whose worktree vanished is interrupted and reported
//   (taskComplete false) so the server can restore it from a checkpoint.
import { ACTIVE_STATES } from '../../../src-preload/contract'
import type { Logger } from '../log/logger'
import type { TaskRecord, TaskRepository } from '../store/task-repository'
import type { WorkspacePort } from './ports'
import type { TaskEvent } from './types'

export interface RecoveredTask {
  taskId: string
  previousState: TaskRecord['state']
  worktreePath: string
  sessionId: string | null
}

export interface RecoveryReport {
  recoverable: RecoveredTask[]
  lost: { taskId: string; previousState: TaskRecord['state'] }[]
}

export const LOST_IN_RECOVERY = 'Working directory missing after restart; the task cannot be resumed here'

export async function recoverOrphans(deps: {
  tasks: TaskRepository
  workspace: WorkspacePort
  emit: (e: TaskEvent) => void
  log: Logger
  /** Tasks the manager holds in memory are not orphans. */
  isLive: (taskId: string) => boolean
}): Promise<RecoveryReport> {
  const report: RecoveryReport = { recoverable: [], lost: [] }
  for (const row of deps.tasks.list({ states: ACTIVE_STATES })) {
    if (deps.isLive(row.id)) continue
    let path: string | null = null
    try {
      path = row.repoUrl
        ? await deps.workspace.findWorktree(row.id, row.worktreePath)
        : row.worktreePath && (await deps.workspace.isIntact(row.worktreePath, false))
          ? row.worktreePath
          : null
    } catch (e) {
      deps.log.warn('recovery: worktree lookup failed', { taskId: row.id, error: String(e) })
    }
    if (path) {
      if (path !== row.worktreePath) deps.tasks.save({ ...row, worktreePath: path, updatedAt: new Date().toISOString() })
      report.recoverable.push({ taskId: row.id, previousState: row.state, worktreePath: path, sessionId: row.agentSessionId })
      deps.emit({ type: 'taskRecoveryDetected', taskId: row.id, previousState: row.state, worktreeIntact: true, worktreePath: path, needsPatch: false })
      deps.log.info('recovery: task can be resumed', { taskId: row.id, previousState: row.state, worktreePath: path })
    } else {
      const now = new Date().toISOString()
      deps.tasks.updateState(row.id, 'failed', { errorMessage: LOST_IN_RECOVERY, completedAt: now })
      report.lost.push({ taskId: row.id, previousState: row.state })
      deps.emit({ type: 'taskUpdated', taskId: row.id, state: 'failed' })
      deps.emit({ type: 'taskComplete', taskId: row.id, success: false, error: LOST_IN_RECOVERY })
      deps.log.warn('recovery: working directory missing, task marked failed', { taskId: row.id, previousState: row.state })
    }
  }
  return report
}
