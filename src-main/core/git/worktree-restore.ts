// Restore a lost worktree from a checkpoint patch: a fresh worktree at the patch's base sha with
// the patch applied (binary files included). A base the repo lacks is fetched from origin once.
import { resolveCommit } from './inspect'
import { applyPatch, decodeCheckpointPatch, InvalidPatchError } from './patch'
import { assertRevision } from './refs'
import { runGit } from './run'
import { createWorktree, type WorktreeInfo } from './worktree-add'
import { removeWorktreeDir } from './worktree-remove'

export interface RestoreFromPatchInput {
  repoPath: string
  worktreesDir: string
  taskId: string
  name: string
  baseSha: string
  /** base64 of gzip (as on the wire), or the gzip bytes. */
  patchData: string | Buffer
}

export type RestoreFromPatchOutcome =
  | { kind: 'restored'; worktree: WorktreeInfo }
  | { kind: 'invalid-patch'; message: string }
  | { kind: 'base-missing'; baseSha: string }
  | { kind: 'target-exists'; path: string }
  | { kind: 'apply-failed'; stderr: string }

async function hasRemote(cwd: string, name: string): Promise<boolean> {
  const out = (await runGit(['remote'], { operation: 'remote', cwd })).stdout
  return out.split('\n').includes(name)
}

export async function restoreFromPatch(input: RestoreFromPatchInput): Promise<RestoreFromPatchOutcome> {
  assertRevision(input.baseSha)
  let patch: Buffer
  try {
    patch = await decodeCheckpointPatch(input.patchData)
  } catch (e) {
    if (e instanceof InvalidPatchError) return { kind: 'invalid-patch', message: e.message }
    throw e
  }
  if (!(await resolveCommit(input.repoPath, input.baseSha)) && (await hasRemote(input.repoPath, 'origin'))) {
    // Best effort: the base may have been pushed from another machine.
    await runGit(['fetch', '--quiet', 'origin'], { operation: 'fetch', cwd: input.repoPath, okExitCodes: [0, 1, 128], timeoutMs: 120_000 })
  }
  if (!(await resolveCommit(input.repoPath, input.baseSha))) return { kind: 'base-missing', baseSha: input.baseSha }
  const made = await createWorktree({
    repoPath: input.repoPath,
    worktreesDir: input.worktreesDir,
    taskId: input.taskId,
    name: input.name,
    baseRef: input.baseSha,
    existingBranch: 'new-name',
  })
  switch (made.kind) {
    case 'created':
      break
    case 'target-exists':
      return made
    case 'base-missing':
      return { kind: 'base-missing', baseSha: input.baseSha }
    case 'branch-in-use':
      // Unreachable with existingBranch 'new-name'; reported rather than thrown for completeness.
      return { kind: 'target-exists', path: made.path }
  }
  const applied = await applyPatch(made.worktree.path, patch)
  if (applied.kind === 'failed') {
    await removeWorktreeDir(made.worktree.path, { deleteBranch: made.worktree.branch })
    return { kind: 'apply-failed', stderr: applied.stderr }
  }
  return { kind: 'restored', worktree: made.worktree }
}
