// Bridge requests of the per-commit view: the task branch's commits since its base, one commit's diff.
import * as git from '../git'
import { MAX_TASK_DIFF_BYTES } from '../git/task-diff'
import type { TaskRepository } from '../store/task-repository'
import { BridgeError, type PartialHandlers } from './dispatch'

export function createHistoryHandlers(deps: { tasks: TaskRepository }): PartialHandlers {
  const taskOf = (taskId: string) => {
    const t = deps.tasks.get(taskId)
    if (!t) throw new BridgeError('not-found', `Task ${taskId} not found`)
    if (!t.worktreePath) throw new BridgeError('conflict', `Task ${t.name} has no worktree.`)
    return { task: t, worktree: t.worktreePath }
  }
  return {
    listTaskCommits: async ({ taskId }) => {
      const { task, worktree } = taskOf(taskId)
      const base = task.baseBranch ?? (await git.detectDefaultBranch(worktree)) ?? 'main'
      const r = await git.listBranchCommits({ worktree, baseBranch: base })
      if (r.kind === 'base-missing') throw new BridgeError('conflict', `The base branch ${r.baseBranch} no longer exists.`)
      return { merged: r.merged, total: r.total, commits: r.commits }
    },
    getCommitDiff: async ({ taskId, sha }) => {
      const { worktree } = taskOf(taskId)
      const r = await git.getCommitDiff({ worktree, sha, maxBytes: MAX_TASK_DIFF_BYTES })
      switch (r.kind) {
        case 'diff':
          return { sha: r.sha, subject: r.subject, diff: r.diff }
        case 'not-found':
          throw new BridgeError('not-found', `Commit ${sha} is not part of this task's branch.`)
        case 'too-large':
          return { sha, subject: '', diff: '', tooLarge: { limitBytes: r.limitBytes } }
      }
    },
  }
}
