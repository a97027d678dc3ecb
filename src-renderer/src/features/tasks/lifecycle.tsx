// Archive and delete, offered in the task list and the task header for ended tasks. Delete asks
// once more; both keep uncommitted work (the core saves it in a WIP commit on the kept branch).
import { useState } from 'react'
import { TERMINAL_STATES, type TaskSummary } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'

export type TaskFilter = 'all' | 'active' | 'attention' | 'archived'

/**
 * Agents at work: running or paused. Queued and preparing ones are not, nor one that sits waiting
 * for the user's answer (a supervisor blocked on its question): that one "needs you" instead.
 */
export const isActive = (t: TaskSummary, asking: ReadonlySet<string> = new Set()): boolean => !t.archivedAt && (t.state === 'running' || t.state === 'paused') && !asking.has(t.id)

/** Waits for the user: a question, or a run that failed. */
export const needsYou = (t: TaskSummary, asking: ReadonlySet<string>): boolean => !t.archivedAt && (asking.has(t.id) || t.state === 'failed')

export function matchesFilter(t: TaskSummary, f: TaskFilter, asking: ReadonlySet<string>): boolean {
  switch (f) {
    case 'all':
      return !t.archivedAt
    case 'active':
      return isActive(t, asking)
    case 'attention':
      return needsYou(t, asking)
    case 'archived':
      return !!t.archivedAt
  }
}

/** Archives the task on screen if it has ended (Alt+A, the palette); says why not otherwise. */
export async function archiveShown(): Promise<void> {
  const { selectedTaskId, tasks, notify } = useAppStore.getState()
  const t = selectedTaskId ? tasks[selectedTaskId] : undefined
  if (!t || t.archivedAt) return
  if (!TERMINAL_STATES.includes(t.state)) return notify('info', `“${t.name}” is still working; archive it once it has ended`)
  const r = await getBridge().archiveTask({ taskId: t.id })
  notify(r.ok ? 'info' : 'error', r.ok ? r.value.message : r.message)
}

export function LifecycleActions({ task, compact = false }: { task: TaskSummary; compact?: boolean }): React.JSX.Element | null {
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const notify = useAppStore((s) => s.notify)
  if (!TERMINAL_STATES.includes(task.state)) return null

  const run = async (what: 'archiveTask' | 'unarchiveTask' | 'deleteTask') => {
    setBusy(true)
    const r = await getBridge()[what]({ taskId: task.id })
    setBusy(false)
    setConfirming(false)
    if (r.ok) notify('info', r.value.message)
    else notify('error', r.message)
  }
  const label = (text: string) => (compact ? `${text} “${task.name}”` : text)

  if (confirming) {
    return (
      <span className="lifecycle confirm">
        <button className="danger" disabled={busy} onClick={() => void run('deleteTask')} aria-label={label('Confirm delete')}>
          Delete for good
        </button>
        <button onClick={() => setConfirming(false)}>Keep</button>
      </span>
    )
  }
  return (
    <span className="lifecycle">
      {task.archivedAt ? (
        <button disabled={busy} onClick={() => void run('unarchiveTask')} aria-label={label('Unarchive')}>
          {compact ? '↺' : 'Unarchive'}
        </button>
      ) : (
        <button disabled={busy} onClick={() => void run('archiveTask')} aria-label={label('Archive')} title="Archive: keeps the branch, removes the worktree (uncommitted work is committed first)">
          {compact ? '⤓' : 'Archive'}
        </button>
      )}
      <button className="danger" disabled={busy} onClick={() => setConfirming(true)} aria-label={label('Delete')} title="Delete the task; its branch is kept">
        {compact ? '✕' : 'Delete'}
      </button>
    </span>
  )
}
