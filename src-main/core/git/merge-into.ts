// Merge one branch into another without disturbing anyone's checkout. When the target is checked
// out in some worktree, the merge happens there if that worktree is clean (refused otherwise);
// when it is checked out nowhere, a temporary worktree is used and removed afterwards.
// Conflicts are reported and the merge is aborted, leaving every tree as it was.
import { runWorktreeGit } from './worktree-lock'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commitStaged, fallbackIdentityEnv } from './commit'
import { branchExists, isDirty, worktreeWithBranch } from './inspect'
import { unmergedFiles } from './merge'
import { assertRefName } from './refs'
import { gitText, runGit } from './run'

export interface MergeIntoInput {
  /** Any worktree of the repository. */
  repo: string
  source: string
  target: string
  squash: boolean
  message: string
  squashMessage: string
  /** Where a temporary worktree may be made (default the OS temp dir). */
  tempDir?: string
}

export type MergeIntoOutcome =
  | { kind: 'merged'; sha: string; mergedIn: string; temporary: boolean }
  | { kind: 'up-to-date'; sha: string }
  | { kind: 'conflicts'; files: string[] }
  | { kind: 'target-missing'; branch: string }
  | { kind: 'source-missing'; branch: string }
  | { kind: 'target-busy'; path: string; message: string }

async function mergeHere(cwd: string, input: MergeIntoInput, temporary: boolean): Promise<MergeIntoOutcome> {
  const before = await gitText(['rev-parse', 'HEAD'], { operation: 'merge', cwd })
  const src = `refs/heads/${input.source}`
  const args = input.squash ? ['merge', '--squash', '--quiet', src] : ['merge', '--no-edit', '--quiet', '-m', input.message, src]
  const r = await runGit(args, { operation: 'merge', cwd, okExitCodes: [0, 1, 2, 128], timeoutMs: 300_000, env: await fallbackIdentityEnv(cwd) })
  if (r.exitCode !== 0) {
    const files = await unmergedFiles(cwd)
    // A squash leaves no MERGE_HEAD, so `merge --abort` cannot undo it; reset to where we were.
    if (input.squash) await runGit(['reset', '--hard', '--quiet', before], { operation: 'merge', cwd })
    else await runGit(['merge', '--abort'], { operation: 'merge', cwd, okExitCodes: [0, 128] })
    if (files.length > 0) return { kind: 'conflicts', files }
    throw new Error(`merging ${input.source} into ${input.target} failed: ${(r.stderr || r.stdout).trim()}`)
  }
  if (input.squash) {
    const staged = await runGit(['diff', '--cached', '--quiet'], { operation: 'merge', cwd, okExitCodes: [0, 1] })
    if (staged.exitCode === 0) return { kind: 'up-to-date', sha: before }
    const sha = await commitStaged(cwd, input.squashMessage, 'squash merge')
    return { kind: 'merged', sha, mergedIn: cwd, temporary }
  }
  const sha = await gitText(['rev-parse', 'HEAD'], { operation: 'merge', cwd })
  if (sha === before) return { kind: 'up-to-date', sha }
  return { kind: 'merged', sha, mergedIn: cwd, temporary }
}

export async function mergeBranchInto(input: MergeIntoInput): Promise<MergeIntoOutcome> {
  assertRefName(input.source)
  assertRefName(input.target)
  if (!(await branchExists(input.repo, input.target))) return { kind: 'target-missing', branch: input.target }
  if (!(await branchExists(input.repo, input.source))) return { kind: 'source-missing', branch: input.source }
  const holder = await worktreeWithBranch(input.repo, input.target)
  if (holder && !holder.bare) {
    if (await isDirty(holder.path)) {
      return {
        kind: 'target-busy',
        path: holder.path,
        message: `${input.target} is checked out in ${holder.path}, which has uncommitted changes; commit them there (or check out another branch) and try again`,
      }
    }
    return mergeHere(holder.path, input, false)
  }
  const parent = await mkdtemp(join(input.tempDir ?? tmpdir(), 'makima-merge-'))
  const dir = join(parent, randomBytes(4).toString('hex'))
  try {
    await runWorktreeGit(['worktree', 'add', '--quiet', '--', dir, input.target], { operation: 'merge', cwd: input.repo, timeoutMs: 300_000 })
    return await mergeHere(dir, input, true)
  } finally {
    await runWorktreeGit(['worktree', 'remove', '--force', '--', dir], { operation: 'merge', cwd: input.repo, okExitCodes: [0, 128] })
    await rm(parent, { recursive: true, force: true })
    await runWorktreeGit(['worktree', 'prune'], { operation: 'worktree prune', cwd: input.repo })
  }
}
