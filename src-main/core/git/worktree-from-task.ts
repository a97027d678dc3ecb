// Continue-from: a new worktree whose files equal the source task's, uncommitted changes included.
// It starts at the source's HEAD (same object store) and the source's uncommitted diff is applied
// on top, left uncommitted as it was. Ignored files (build output, node_modules) are not copied.
import { headSha } from './inspect'
import { applyPatch, diffWorkingTree } from './patch'
import { GitError } from './run'
import { createWorktree, type CreateWorktreeOutcome } from './worktree-add'
import { removeWorktreeDir } from './worktree-remove'

export interface CreateWorktreeFromTaskInput {
  sourceWorktree: string
  worktreesDir: string
  taskId: string
  name: string
}

export type CreateWorktreeFromTaskOutcome =
  | (CreateWorktreeOutcome & { kind: Exclude<CreateWorktreeOutcome['kind'], 'created'> })
  | (Extract<CreateWorktreeOutcome, { kind: 'created' }> & { uncommittedFiles: number })

export async function createWorktreeFromTask(input: CreateWorktreeFromTaskInput): Promise<CreateWorktreeFromTaskOutcome> {
  const sourceHead = await headSha(input.sourceWorktree)
  const { patch, files } = await diffWorkingTree(input.sourceWorktree, sourceHead)
  const made = await createWorktree({
    repoPath: input.sourceWorktree,
    worktreesDir: input.worktreesDir,
    taskId: input.taskId,
    name: input.name,
    baseRef: sourceHead,
    existingBranch: 'new-name',
  })
  if (made.kind !== 'created') return made
  const applied = await applyPatch(made.worktree.path, patch)
  if (applied.kind === 'failed') {
    // Nothing of value is in the new worktree yet: remove it so a retry starts clean.
    await removeWorktreeDir(made.worktree.path, { deleteBranch: made.worktree.branch })
    throw new GitError('worktree from task', ['apply'], applied.stderr, 1, made.worktree.path, `copying uncommitted changes failed: ${applied.stderr}`)
  }
  return { ...made, uncommittedFiles: files.length }
}
