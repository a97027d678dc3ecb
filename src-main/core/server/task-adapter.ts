// TaskEnginePort over the task manager (src-main/core/tasks). Kept to translation only: refusals
// become SpawnOutcome/ControlOutcome values, manager events become PROTOCOL.md messages.
import { findTaskWorktree } from '../git'
import type { TaskManager } from '../tasks/manager'
import { toServerMessages } from '../tasks/types'
import type { ControlOutcome, TaskEngineMessage, TaskEnginePort, WorktreeLookup } from './ports'

export interface TaskAdapterOptions {
  /** Where task worktrees live, for the short-id scan when a task is no longer in memory. */
  worktreesDir: string
}

type Result = { ok: true } | { ok: false; code: string; message: string }

function control(r: Result): ControlOutcome {
  if (r.ok) return { kind: 'ok' }
  return r.code === 'not-found' ? { kind: 'not-found' } : { kind: 'refused', reason: r.message }
}

export function createTaskEngineAdapter(manager: TaskManager, opts: TaskAdapterOptions): TaskEnginePort {
  return {
    async spawn(cmd) {
      const r = await manager.spawn(cmd)
      return r.ok ? { kind: 'accepted' } : { kind: 'refused', reason: r.message }
    },
    async pause(taskId) {
      return control(manager.pause(taskId))
    },
    async resume(taskId) {
      return control(manager.resume(taskId))
    },
    async interrupt(taskId) {
      return control(await manager.interrupt(taskId))
    },
    async sendMessage(taskId, message) {
      return control(await manager.sendMessageChecked(taskId, message))
    },
    activeTaskIds() {
      return manager.activeTaskIds()
    },
    async worktreeOf(taskId): Promise<WorktreeLookup> {
      const record = manager.get(taskId)
      const path = await findTaskWorktree({ taskId, worktreesDir: opts.worktreesDir, recordedPath: record?.worktreePath ?? null })
      if (path) return { kind: 'found', worktree: { taskId, path, baseBranch: record?.baseBranch ?? null } }
      return record ? { kind: 'no-worktree' } : { kind: 'not-found' }
    },
    toolKey(taskId) {
      return manager.toolKey(taskId)
    },
    async stopAll() {
      await manager.shutdown()
    },
    onMessages(listener) {
      return manager.onEvent((event) => {
        const messages = toServerMessages(event) as TaskEngineMessage[]
        if (messages.length > 0) listener(messages)
      })
    },
  }
}
