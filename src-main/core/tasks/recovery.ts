// Crash recovery and worktree health.
// - At start, first: agents run in process groups of their own, so they outlive a core killed with
//   SIGKILL. Every agent the database still records (pid + /proc identity) is ended with its whole
//   process tree before its task is offered for resume — never a process that merely got the same pid.
// - Then: every task the database still holds as active (the core died or was killed while it
//   ran) is checked. Working directory intact → taskRecoveryDetected, and the task is offered for
//   resume (resumeRecovered(), or a spawnTask with resumeSession from the server); missing → failed.
// - Periodically: a running or starting task whose worktree vanished is interrupted and reported
//   (taskComplete false) so the server can restore it from a checkpoint.
import { ACTIVE_STATES } from '../../../src-preload/contract'
import { terminateTree } from '../agents/process-group'
import { processIdentity, startOfIdentity } from '../agents/process-tree'
import type { Logger } from '../log/logger'
import type { TaskRecord, TaskRepository } from '../store/task-repository'
import type { WorkspacePort } from './ports'
import { assertNever } from './state'
import type { TaskEvent } from './types'

export interface RecoveredTask {
  taskId: string
  previousState: TaskRecord['state']
  worktreePath: string
  sessionId: string | null
}

/** What became of an agent a previous core left recorded. */
export type StaleAgentOutcome =
  | 'terminated' // it still ran: it and its whole tree were ended
  | 'survived' // it still ran and could not be ended
  | 'not-running' // already gone
  | 'pid-reused' // the pid belongs to another process now: left alone
  | 'unverifiable' // no identity was recorded (no /proc): left alone

export interface StaleAgent {
  taskId: string
  pid: number
  outcome: StaleAgentOutcome
}

export interface RecoveryReport {
  recoverable: RecoveredTask[]
  lost: { taskId: string; previousState: TaskRecord['state'] }[]
  staleAgents: StaleAgent[]
}

export const LOST_IN_RECOVERY = 'Working directory missing after restart; the task cannot be resumed here'

export async function recoverOrphans(deps: {
  tasks: TaskRepository
  workspace: WorkspacePort
  emit: (e: TaskEvent) => void
  log: Logger
  /** Tasks the manager holds in memory are not orphans. */
  isLive: (taskId: string) => boolean
  /** A line in the task's output. */
  notice: (taskId: string, text: string) => void
  /** SIGTERM → SIGKILL grace for a stale agent's tree. */
  staleAgentGraceMs: number
}): Promise<RecoveryReport> {
  const report: RecoveryReport = { recoverable: [], lost: [], staleAgents: await endStaleAgents(deps) }
  const rows = deps.tasks.list({ states: ACTIVE_STATES }).filter((row) => !deps.isLive(row.id))
  // Looked up a few at a time (git and the disk in parallel), reported in the stored order.
  const paths = await mapLimit(rows, 8, async (row) => {
    try {
      return row.repoUrl
        ? await deps.workspace.findWorktree(row.id, row.worktreePath)
        : row.worktreePath && (await deps.workspace.isIntact(row.worktreePath, false))
          ? row.worktreePath
          : null
    } catch (e) {
      deps.log.warn('recovery: worktree lookup failed', { taskId: row.id, error: String(e) })
      return null
    }
  })
  for (const [i, row] of rows.entries()) {
    const path = paths[i]
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

/** Every recorded agent at once: their trees are ended side by side, sharing one /proc scan per
 * poll (terminateTree's poller), so 100 orphans take about one grace period, not 100. */
async function endStaleAgents(deps: Parameters<typeof recoverOrphans>[0]): Promise<StaleAgent[]> {
  const rows = deps.tasks.withAgentPid().filter((row) => !deps.isLive(row.id) && row.agentPid !== undefined)
  return Promise.all(rows.map((row) => endRecordedAgent(deps, row)))
}

async function endRecordedAgent(deps: Parameters<typeof recoverOrphans>[0], row: TaskRecord): Promise<StaleAgent> {
  const pid = row.agentPid!
  const outcome = await endStaleAgent(pid, row.agentIdentity ?? null, deps.staleAgentGraceMs)
  const current = deps.tasks.get(row.id)
  if (current) deps.tasks.save({ ...current, agentPid: undefined, agentIdentity: undefined })
  switch (outcome) {
    case 'terminated':
    case 'survived': {
      const text = outcome === 'terminated'
        ? `The agent of this task (pid ${pid}) was still running from before the restart; it and its processes were stopped.`
        : `The agent of this task (pid ${pid}) was still running from before the restart and could not be stopped.`
      deps.notice(row.id, text)
      deps.log.warn('recovery: agent left running by the previous core', { taskId: row.id, pid, outcome })
      break
    }
    case 'pid-reused':
    case 'unverifiable':
      deps.log.info('recovery: recorded agent pid not ours to stop', { taskId: row.id, pid, outcome })
      break
    case 'not-running':
      break
    default:
      assertNever(outcome)
  }
  return { taskId: row.id, pid, outcome }
}

async function endStaleAgent(pid: number, identity: string | null, graceMs: number): Promise<StaleAgentOutcome> {
  if (!identity) return 'unverifiable'
  const now = await processIdentity(pid)
  if (now === null) return 'not-running'
  if (now !== identity) return 'pid-reused'
  const r = await terminateTree(pid, graceMs, { rootStart: startOfIdentity(identity) })
  return r.gone ? 'terminated' : 'survived'
}

/** fn over items, at most `limit` at once; results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}
