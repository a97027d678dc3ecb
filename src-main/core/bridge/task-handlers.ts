// Bridge requests that drive the task engine: create, pause, resume, stop, steer.
import { randomUUID } from 'node:crypto'
import type { ErrorCode } from '../../../src-preload/contract'
import type { TaskManager } from '../tasks/manager'
import type { TaskQueue } from '../tasks/task-queue'
import type { CommandResult } from '../tasks/state'
import { BridgeError, type PartialHandlers } from './dispatch'

export interface TaskHandlerDeps {
  manager: TaskManager
  /** New tasks from the app queue when every slot is busy. */
  queue: TaskQueue
  /** Marks a recovered task as not resumed (the user dismissed it). */
  dismissRecovered(taskId: string): void
  /** Whether an agent of that name is configured (built-in or custom); default: any name. */
  knownAgent?(name: string): boolean
}

function unwrap<T>(r: CommandResult<T>): T {
  if (r.ok) return r.value
  const code: ErrorCode = r.code === 'not-found' ? 'not-found' : r.code === 'invalid-request' ? 'invalid-params' : 'conflict'
  throw new BridgeError(code, r.message)
}

export function createTaskHandlers({ manager, queue, dismissRecovered, knownAgent }: TaskHandlerDeps): PartialHandlers {
  // A recovered task stays offered until it is resumed or dismissed (its record says it was active).
  const stillOffered = (taskId: string) => {
    const t = manager.get(taskId)
    return !t || (t.state !== 'completed' && t.state !== 'failed' && t.state !== 'interrupted')
  }
  return {
    listRecoverable: () =>
      manager
        .recoverable()
        .filter((r) => stillOffered(r.taskId) && !manager.activeTaskIds().includes(r.taskId))
        .map(({ taskId, previousState, worktreePath, sessionId }) => ({ taskId, previousState, worktreePath, sessionId })),
    resumeRecovered: async ({ taskId }) => ({ taskId: unwrap(await manager.resumeRecovered(taskId)).taskId }),
    dismissRecovered: ({ taskId }) => {
      if (!manager.recoverable().some((r) => r.taskId === taskId)) throw new BridgeError('not-found', `Task ${taskId} is not waiting to be resumed`)
      dismissRecovered(taskId)
      return null
    },
    createTask: async (p) => {
      if (p.agent && knownAgent && !knownAgent(p.agent)) throw new BridgeError('invalid-params', `No agent named ${p.agent} is configured`)
      const r = await queue.submit({
        taskId: randomUUID(),
        taskName: p.name,
        plan: p.plan,
        repoUrl: p.repoUrl,
        baseBranch: p.baseBranch,
        targetBranch: p.targetBranch,
        depth: 0,
        isOrchestrator: p.mode === 'orchestrator',
        isSupervisor: p.mode === 'supervisor',
        autonomousLoop: p.autonomousLoop,
        completionAction: p.completionAction,
        resumeSession: false,
        ...(p.agent ? { agent: p.agent } : {}),
      })
      return unwrap(r)
    },
    pauseTask: ({ taskId }) => {
      unwrap(manager.pause(taskId))
      return null
    },
    resumeTask: ({ taskId }) => {
      unwrap(manager.resume(taskId))
      return null
    },
    interruptTask: async ({ taskId }) => {
      if (queue.cancel(taskId)) return null
      unwrap(await manager.interrupt(taskId, 'Stopped by the user'))
      return null
    },
    // A message to an ended task continues its session (--resume); refused up front when the
    // session or the worktree is gone.
    sendMessage: async ({ taskId, message }) => {
      unwrap(await manager.sendMessageChecked(taskId, message))
      return null
    },
  }
}
