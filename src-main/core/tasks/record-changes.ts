// Changes to an ended task made outside its runs — merged, worktree removed, archived, deleted —
// applied to the manager's live copy and the store together, so a later save of the live copy
// (a follow-up, recovery) never brings the old values back.
import type { TaskRecord, TaskRepository } from '../store/task-repository'
import type { ManagedTask } from './host'
import { isTerminal, ok, refuse, type CommandResult } from './state'

export type RecordPatch = Partial<Pick<TaskRecord, 'worktreePath' | 'mergedInto' | 'archivedAt'>>

export function patchRecord(live: Map<string, ManagedTask>, store: TaskRepository, taskId: string, patch: RecordPatch): TaskRecord | undefined {
  const t = live.get(taskId)
  const base = t?.record ?? store.get(taskId)
  if (!base) return undefined
  const next: TaskRecord = { ...base, ...patch, updatedAt: new Date().toISOString() }
  if (t) {
    t.record = next
    if ('worktreePath' in patch && !patch.worktreePath) t.dir = null
  }
  store.save(next)
  return next
}

/** Drops an ended task from memory and the store; a task with a run in progress is refused. */
export function forgetTask(live: Map<string, ManagedTask>, store: TaskRepository, taskId: string): CommandResult {
  const t = live.get(taskId)
  const state = t?.state ?? store.get(taskId)?.state
  if (!state) return refuse('not-found', `Task ${taskId} not found`)
  if (!isTerminal(state) || t?.run) return refuse('invalid-state', 'Stop the task first.')
  live.delete(taskId)
  store.delete(taskId)
  return ok()
}
