// Remove a task's worktree (and optionally its branch). Uncommitted work is never thrown away:
// it is saved in a WIP commit first, and a branch holding such a commit is kept even when its
// deletion was asked for (peers' users lost work exactly there).
import { runWorktreeGit } from './worktree-lock'
import { pathExists } from './paths'
import { realpath, rm } from 'node:fs/promises'
import { commitAll, utcStamp } from './commit'
import { currentBranch, isDirty, mainWorktree, operationInProgress } from './inspect'
import { runGit } from './run'

export interface RemoveWorktreeInput {
  worktree: string
  deleteBranch: boolean
  now?: Date
}

export type RemoveWorktreeOutcome =
  | {
      kind: 'removed'
      path: string
      branch: string | null
      /** Set when uncommitted work was saved before removal. */
      wipCommitSha: string | null
      branchDeleted: boolean
      /** Why a requested branch deletion did not happen. */
      branchKeptReason: string | null
    }
  | { kind: 'not-found'; path: string }
  | { kind: 'not-a-worktree'; path: string; message: string }
  | { kind: 'busy'; path: string; message: string }


export async function removeWorktree(input: RemoveWorktreeInput): Promise<RemoveWorktreeOutcome> {
  const path = input.worktree
  if (!(await pathExists(path))) return { kind: 'not-found', path }
  if (!(await pathExists(`${path}/.git`))) return { kind: 'not-a-worktree', path, message: `${path} has no .git: not removing it` }
  const repo = await mainWorktree(path)
  if ((await realpath(repo)) === (await realpath(path))) return { kind: 'not-a-worktree', path, message: `${path} is a repository's main working tree, not a task worktree` }
  const branch = await currentBranch(path)
  let wip: string | null = null
  const busy = await operationInProgress(path)
  if (busy && (await isDirty(path))) {
    return { kind: 'busy', path, message: `${path} is in the middle of a ${busy} with uncommitted work: finish or abort it first` }
  }
  if (await isDirty(path)) {
    // commitAll throws on failure, so removal never proceeds with unsaved work.
    wip = await commitAll(path, `[WIP] Saved before worktree removal - ${utcStamp(input.now ?? new Date())}`, 'worktree remove')
  }
  await runWorktreeGit(['worktree', 'remove', '--force', '--', path], { operation: 'worktree remove', cwd: repo })
  let branchDeleted = false
  let branchKeptReason: string | null = null
  if (input.deleteBranch && branch) {
    if (wip) {
      branchKeptReason = `kept ${branch}: it holds uncommitted work saved as ${wip.slice(0, 8)}`
    } else {
      await runGit(['branch', '-D', '--', branch], { operation: 'branch delete', cwd: repo })
      branchDeleted = true
    }
  } else if (input.deleteBranch) {
    branchKeptReason = 'the worktree was on a detached HEAD'
  }
  return { kind: 'removed', path, branch, wipCommitSha: wip, branchDeleted, branchKeptReason }
}

/**
 * Internal: remove a worktree this module just created and that holds nothing yet
 * (a failed restore or copy). Never call it on a worktree with an agent's work in it.
 */
export async function removeWorktreeDir(path: string, opts: { deleteBranch?: string } = {}): Promise<void> {
  const repo = await mainWorktree(path)
  await runWorktreeGit(['worktree', 'remove', '--force', '--', path], { operation: 'worktree remove', cwd: repo, okExitCodes: [0, 128] })
  await rm(path, { recursive: true, force: true })
  await runWorktreeGit(['worktree', 'prune'], { operation: 'worktree prune', cwd: repo })
  if (opts.deleteBranch) await runGit(['branch', '-D', '--', opts.deleteBranch], { operation: 'branch delete', cwd: repo, okExitCodes: [0, 1] })
}
