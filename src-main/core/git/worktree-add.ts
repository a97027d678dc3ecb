// Create a task's worktree: `<worktrees dir>/<short8>-<sanitized name>` on `makima/<sanitized>-<short8>`.
// Stale admin entries are pruned first and an existing target directory is refused. An existing
// task branch (its worktree was deleted) is checked out again rather than reset, so its commits survive.
import { runWorktreeGit } from './worktree-lock'
import { pathExists } from './paths'
import { mkdir } from 'node:fs/promises'
import { branchExists, mainWorktree, resolveCommit, worktreeWithBranch } from './inspect'
import { assertRefName, assertRevision, worktreeNames } from './refs'
import { gitText } from './run'

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


export async function pruneWorktrees(repoPath: string): Promise<void> {
  await runWorktreeGit(['worktree', 'prune'], { operation: 'worktree prune', cwd: repoPath })
}

async function resolveBase(repoPath: string, ref: string): Promise<string | null> {
  assertRevision(ref)
  return (await resolveCommit(repoPath, ref)) ?? (ref === 'HEAD' ? null : resolveCommit(repoPath, `origin/${ref}`))
}

async function freeBranchName(repoPath: string, branch: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = assertRefName(n === 1 ? `${branch}-restored` : `${branch}-restored-${n}`)
    if (!(await branchExists(repoPath, candidate))) return candidate
  }
}

export async function createWorktree(input: CreateWorktreeInput): Promise<CreateWorktreeOutcome> {
  const names = worktreeNames(input.worktreesDir, input.taskId, input.name)
  const repoPath = input.repoPath
  await mkdir(input.worktreesDir, { recursive: true })
  await pruneWorktrees(repoPath)
  if (await pathExists(names.dir)) return { kind: 'target-exists', path: names.dir }
  const baseRef = input.baseRef ?? 'HEAD'
  const baseSha = await resolveBase(repoPath, baseRef)
  if (!baseSha) return { kind: 'base-missing', ref: baseRef }

  let branch = names.branch
  let reused = false
  if (await branchExists(repoPath, branch)) {
    if ((input.existingBranch ?? 'reuse') === 'reuse') {
      const holder = await worktreeWithBranch(repoPath, branch)
      if (holder) return { kind: 'branch-in-use', branch, path: holder.path }
      reused = true
    } else {
      branch = await freeBranchName(repoPath, branch)
    }
  }
  const args = reused
    ? ['worktree', 'add', '--quiet', '--', names.dir, branch]
    : ['worktree', 'add', '--quiet', '--no-track', '-b', branch, '--', names.dir, baseSha]
  await runWorktreeGit(args, { operation: 'worktree add', cwd: repoPath, timeoutMs: 300_000 })
  const startSha = reused ? await gitText(['rev-parse', 'HEAD'], { operation: 'rev-parse', cwd: names.dir }) : baseSha
  return {
    kind: 'created',
    worktree: { path: names.dir, branch, repoPath: await mainWorktree(repoPath), baseSha: startSha, reusedBranch: reused },
  }
}
