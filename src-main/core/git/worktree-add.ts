// Create a task's worktree: `<worktrees dir>/<short8>-<sanitized name>` on `makima/<sanitized>-<short8>`.
// Stale admin entries are pruned when in the way and an existing target directory is refused. An existing
// task branch (its worktree was deleted) is checked out again rather than reset, so its commits survive.
import { runWorktreeGit, worktreeLockKey } from './worktree-lock'
import { pathExists } from './paths'
import { mkdir, realpath } from 'node:fs/promises'
import { dirname, sep } from 'node:path'
import { branchExists, worktreeWithBranch } from './inspect'
import { assertRefName, assertRevision, worktreeNames } from './refs'
import { GitError, gitText } from './run'

export interface WorktreeInfo {
  path: string
  branch: string
  /** The main working tree of the repository the worktree belongs to. */
  repoPath: string
  /** The commit the worktree started from (the branch tip when an existing branch was reused). */
  baseSha: string
  reusedBranch: boolean
}

export interface CreateWorktreeInput {
  /** Any working tree of the repository (the clone, or another task's worktree). */
  repoPath: string
  worktreesDir: string
  taskId: string
  name: string
  /** Branch or revision to start from; tried as given, then as `origin/<ref>`. Default HEAD. */
  baseRef?: string
  /** When the task branch already exists: reuse it (default) or create `<branch>-restored[-n]`. */
  existingBranch?: 'reuse' | 'new-name'
}

export type CreateWorktreeOutcome =
  | { kind: 'created'; worktree: WorktreeInfo }
  | { kind: 'target-exists'; path: string }
  | { kind: 'base-missing'; ref: string }
  | { kind: 'branch-in-use'; branch: string; path: string }


export async function pruneWorktrees(repoPath: string, key?: string): Promise<void> {
  await runWorktreeGit(['worktree', 'prune'], { operation: 'worktree prune', cwd: repoPath }, key)
}

/** Each name's object id (a `^{commit}` suffix peels), or null when it names nothing: one
 * `git cat-file --batch-check` for all of them instead of one rev-parse or show-ref each. */
async function lookUp(repoPath: string, names: readonly string[]): Promise<(string | null)[]> {
  const out = await gitText(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { operation: 'cat-file', cwd: repoPath, stdin: `${names.join('\n')}\n` })
  const lines = out.split('\n')
  return names.map((_, i) => {
    // Every name asks for a commit; `<name> missing` (a missing full sha too) is not one.
    const m = /^([0-9a-f]{40,64}) commit$/.exec(lines[i] ?? '')
    return m ? m[1]! : null
  })
}

async function freeBranchName(repoPath: string, branch: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = assertRefName(n === 1 ? `${branch}-restored` : `${branch}-restored-${n}`)
    if (!(await branchExists(repoPath, candidate))) return candidate
  }
}

/** What git prints when a stale admin entry (its directory deleted) is in the way; pruning clears it. */
const STALE_ENTRY = /missing but (already registered|locked) worktree|is already (checked out|used by worktree) at/

/**
 * Three git calls when the branch is new (the common case): the common git dir (the lock key and
 * the main working tree), one batch lookup of the base and the branch, and the add. Stale admin
 * entries are pruned only when they are in the way: before reusing an existing branch (its old
 * worktree may be a deleted directory), or when the add names one.
 */
export async function createWorktree(input: CreateWorktreeInput): Promise<CreateWorktreeOutcome> {
  const names = worktreeNames(input.worktreesDir, input.taskId, input.name)
  const repoPath = input.repoPath
  await mkdir(input.worktreesDir, { recursive: true })
  if (await pathExists(names.dir)) return { kind: 'target-exists', path: names.dir }
  const baseRef = assertRevision(input.baseRef ?? 'HEAD')
  const key = await worktreeLockKey(repoPath)
  const queries = [`${baseRef}^{commit}`, `refs/heads/${names.branch}`, ...(baseRef === 'HEAD' ? [] : [`origin/${baseRef}^{commit}`])]
  const [base, branchTip, originBase] = await lookUp(repoPath, queries)
  const baseSha = base ?? originBase ?? null
  if (!baseSha) return { kind: 'base-missing', ref: baseRef }

  let branch = names.branch
  let reused = false
  if (branchTip) {
    if ((input.existingBranch ?? 'reuse') === 'reuse') {
      await pruneWorktrees(repoPath, key)
      const holder = await worktreeWithBranch(repoPath, branch)
      if (holder) return { kind: 'branch-in-use', branch, path: holder.path }
      reused = true
    } else {
      branch = await freeBranchName(repoPath, branch)
    }
  }
  const checkout = ['worktree', 'add', '--quiet', '--', names.dir, branch]
  const add = (args: string[]) => runWorktreeGit(args, { operation: 'worktree add', cwd: repoPath, timeoutMs: 300_000 }, key)
  try {
    await add(reused ? checkout : ['worktree', 'add', '--quiet', '--no-track', '-b', branch, '--', names.dir, baseSha])
  } catch (e) {
    if (!(e instanceof GitError) || !STALE_ENTRY.test(e.stderr)) throw e
    await pruneWorktrees(repoPath, key)
    // git makes a new branch before it finds the path taken: then it exists at the base now.
    await add(reused || (await branchExists(repoPath, branch)) ? checkout : ['worktree', 'add', '--quiet', '--no-track', '-b', branch, '--', names.dir, baseSha])
  }
  return {
    kind: 'created',
    // A reused branch is checked out at its tip.
    worktree: { path: names.dir, branch, repoPath: await mainWorktreeOf(key), baseSha: reused ? branchTip! : baseSha, reusedBranch: reused },
  }
}

/** The main working tree, as git derives it: the common git dir's real path without `/.git`
 * (a bare repository: the git dir itself). */
async function mainWorktreeOf(commonDir: string): Promise<string> {
  const real = await realpath(commonDir).catch(() => commonDir)
  return real.endsWith(`${sep}.git`) ? dirname(real) : real
}
