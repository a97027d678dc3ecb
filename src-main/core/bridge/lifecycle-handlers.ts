// Archive and delete an ended task. Both take its worktree away safely: its terminals close, and
// uncommitted work is saved in a WIP commit on its branch (which is kept) before the directory
// goes. Archive keeps the task (out of the default list); delete drops it and its output.
import { TERMINAL_STATES } from '../../../src-preload/contract'
import type { CoreEvents } from '../events'
import * as git from '../git'
import type { Logger } from '../log/logger'
import type { OutputRepository } from '../store/output-repository'
import type { TaskRecord, TaskRepository } from '../store/task-repository'
import type { RecordPatch } from '../tasks/record-changes'
import type { CommandResult } from '../tasks/state'
import type { TerminalHost } from '../terminals/host'
import { BridgeError, type PartialHandlers } from './dispatch'

export interface LifecycleDeps {
  tasks: TaskRepository
  output: OutputRepository
  terminals: TerminalHost
  events: CoreEvents
  log: Logger
  patchTask: (taskId: string, patch: RecordPatch) => void
  forget: (taskId: string) => CommandResult
}

export function createLifecycleHandlers(deps: LifecycleDeps): PartialHandlers {
  const ended = (taskId: string, verb: string): TaskRecord => {
    const t = deps.tasks.get(taskId)
    if (!t) throw new BridgeError('not-found', `Task ${taskId} not found`)
    if (!TERMINAL_STATES.includes(t.state)) throw new BridgeError('conflict', `Stop “${t.name}” before you ${verb} it.`)
    return t
  }

  /** Removes the task's worktree (WIP commit first); says what was kept. */
  const clearWorktree = async (t: TaskRecord, why: string): Promise<string> => {
    if (!t.worktreePath) return ''
    await deps.terminals.closeTask(t.id, why)
    const r = await git.removeWorktree({ worktree: t.worktreePath, deleteBranch: false })
    switch (r.kind) {
      case 'removed':
        return r.wipCommitSha ? ` Uncommitted work was saved in commit ${r.wipCommitSha.slice(0, 8)} on ${r.branch}.` : r.branch ? ` Its branch ${r.branch} is kept.` : ''
      case 'not-found':
        return ''
      case 'not-a-worktree':
        return ` ${t.worktreePath} was left in place: ${r.message}.`
      case 'busy':
        throw new BridgeError('conflict', r.message)
    }
  }

  return {
    archiveTask: async ({ taskId }) => {
      const t = ended(taskId, 'archive')
      const kept = await clearWorktree(t, 'the task was archived; terminal closed')
      deps.patchTask(taskId, { worktreePath: null, archivedAt: new Date().toISOString() })
      deps.log.info('task archived', { taskId, name: t.name })
      return { message: `Archived “${t.name}”.${kept}` }
    },
    unarchiveTask: ({ taskId }) => {
      const t = deps.tasks.get(taskId)
      if (!t) throw new BridgeError('not-found', `Task ${taskId} not found`)
      deps.patchTask(taskId, { archivedAt: undefined })
      return { message: `“${t.name}” is back in the list.` }
    },
    deleteTask: async ({ taskId }) => {
      const t = ended(taskId, 'delete')
      const kept = await clearWorktree(t, 'the task was deleted; terminal closed')
      const r = deps.forget(taskId)
      if (!r.ok) throw new BridgeError('conflict', r.message)
      deps.output.deleteFor(taskId)
      deps.events.emit('taskRemoved', { taskId })
      deps.log.info('task deleted', { taskId, name: t.name })
      return { message: `Deleted “${t.name}”.${kept}` }
    },
  }
}
