// Toast rules, pure so they are tested without a browser: task ids become task names, an error of
// the task on screen is left to that task's header (one place per error), the same message is not
// stacked twice, and only errors wait for the user — the rest go by themselves.
import type { TaskSummary } from '../../../src-preload/contract'

export interface Notice {
  id: number
  level: 'info' | 'warn' | 'error'
  message: string
  /** The task it is about, if any: the toast offers to show it. */
  taskId: string | null
}

/** How long a non-error toast stays. */
export const NOTICE_MS = 6_000
/** Toasts on screen at most (the oldest go first). */
export const MAX_NOTICES = 4

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi

/** "Task 03db1f90-… has ended" → "Task “Fix login” has ended" for every task the store knows. */
export function withTaskNames(message: string, tasks: Record<string, TaskSummary>): string {
  return message.replace(UUID, (id) => (tasks[id] ? `“${tasks[id].name}”` : id))
}

/** The notices after `next` arrives, or null when it should not be shown. */
export function addNotice(current: readonly Notice[], next: Notice, selectedTaskId: string | null): Notice[] | null {
  if (next.level === 'error' && next.taskId !== null && next.taskId === selectedTaskId) return null
  if (current.some((n) => n.level === next.level && n.message === next.message)) return null
  return [...current.slice(-(MAX_NOTICES - 1)), next]
}
