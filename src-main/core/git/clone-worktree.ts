// Copy a task's worktree into a directory of its own: a clone of its repository on the task's
// branch, with the uncommitted changes applied on top. An existing non-empty target is refused.
import { mkdir, readdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { currentBranch, headSha } from './inspect'
import { applyPatch, diffWorkingTree } from './patch'
import { expandTilde } from './paths'
import { runGit } from './run'

export type CloneWorktreeOutcome =
  | { kind: 'cloned'; targetDir: string; message: string }
  | { kind: 'target-exists'; targetDir: string }
  | { kind: 'apply-failed'; targetDir: string; stderr: string }

export async function targetDirectoryExists(path: string): Promise<boolean> {
  try {
    await readdir(resolve(expandTilde(path)))
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOTDIR'
  }
}

export async function cloneWorktreeToDirectory(input: { worktree: string; targetDir: string }): Promise<CloneWorktreeOutcome> {
  const target = resolve(expandTilde(input.targetDir))
  try {
    if ((await readdir(target)).length > 0) return { kind: 'target-exists', targetDir: target }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { kind: 'target-exists', targetDir: target }
  }
  await mkdir(resolve(target, '..'), { recursive: true })
  const branch = await currentBranch(input.worktree)
  const sha = await headSha(input.worktree)
  const { patch, files } = await diffWorkingTree(input.worktree, 'HEAD')
  await runGit(['clone', '--quiet', '--no-local', ...(branch ? ['--branch', branch] : []), '--', input.worktree, target], {
    operation: 'clone worktree',
    cwd: resolve(target, '..'),
    timeoutMs: 600_000,
  })
  if (!branch) await runGit(['checkout', '--quiet', '--detach', sha], { operation: 'clone worktree', cwd: target })
  const applied = await applyPatch(target, patch)
  if (applied.kind === 'failed') return { kind: 'apply-failed', targetDir: target, stderr: applied.stderr }
  return {
    kind: 'cloned',
    targetDir: target,
    message: `Cloned ${branch ?? sha.slice(0, 8)} to ${target}${files.length ? ` with ${files.length} uncommitted file(s)` : ''}`,
  }
}
