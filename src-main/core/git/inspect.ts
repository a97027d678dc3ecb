// Small read-only questions many operations ask: where is the git dir, what is HEAD, is the tree
// dirty, which worktrees exist and what they have checked out.
import { runWorktreeGit } from './worktree-lock'
import { access } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { gitText, runGit } from './run'

export async function commonGitDir(cwd: string): Promise<string> {
  const out = await gitText(['rev-parse', '--git-common-dir'], { operation: 'rev-parse', cwd })
  return isAbsolute(out) ? out : resolve(cwd, out)
}

/** A path inside this worktree's own git dir (MERGE_HEAD, MERGE_MSG…). */
export async function gitPath(cwd: string, name: string): Promise<string> {
  const out = await gitText(['rev-parse', '--git-path', name], { operation: 'rev-parse', cwd })
  return isAbsolute(out) ? out : resolve(cwd, out)
}

export async function topLevel(cwd: string): Promise<string> {
  return gitText(['rev-parse', '--show-toplevel'], { operation: 'rev-parse', cwd })
}

export async function headSha(cwd: string): Promise<string> {
  return gitText(['rev-parse', '--verify', 'HEAD^{commit}'], { operation: 'rev-parse', cwd })
}

/** The sha a revision names, or null when it names nothing. */
export async function resolveCommit(cwd: string, rev: string): Promise<string | null> {
  const r = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
    operation: 'rev-parse',
    cwd,
    okExitCodes: [0, 1, 128],
  })
  return r.exitCode === 0 ? r.stdout.trim() : null
}

/** The checked-out branch, or null when HEAD is detached. */
export async function currentBranch(cwd: string): Promise<string | null> {
  const out = await gitText(['branch', '--show-current'], { operation: 'branch', cwd })
  return out || null
}

/** Uncommitted work, untracked files included (ignored files are not work). */
export async function isDirty(cwd: string): Promise<boolean> {
  const out = await gitText(['status', '--porcelain', '--untracked-files=all'], { operation: 'status', cwd })
  return out.length > 0
}

export async function branchExists(cwd: string, branch: string): Promise<boolean> {
  const r = await runGit(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { operation: 'show-ref', cwd, okExitCodes: [0, 1] })
  return r.exitCode === 0
}

export interface WorktreeEntry {
  path: string
  head: string | null
  /** Short branch name, or null when detached / bare. */
  branch: string | null
  bare: boolean
  prunable: boolean
}

export async function listWorktrees(cwd: string): Promise<WorktreeEntry[]> {
  const out = (await runWorktreeGit(['worktree', 'list', '--porcelain'], { operation: 'worktree list', cwd })).stdout
  const entries: WorktreeEntry[] = []
  for (const block of out.split('\n\n')) {
    const lines = block.split('\n').filter(Boolean)
    const wt = lines.find((l) => l.startsWith('worktree '))
    if (!wt) continue
    const branchLine = lines.find((l) => l.startsWith('branch '))
    entries.push({
      path: wt.slice('worktree '.length),
      head: lines.find((l) => l.startsWith('HEAD '))?.slice(5) ?? null,
      branch: branchLine ? branchLine.slice('branch '.length).replace(/^refs\/heads\//, '') : null,
      bare: lines.includes('bare'),
      prunable: lines.some((l) => l.startsWith('prunable')),
    })
  }
  return entries
}

/** The worktree that has `branch` checked out, if any. */
export async function worktreeWithBranch(cwd: string, branch: string): Promise<WorktreeEntry | null> {
  return (await listWorktrees(cwd)).find((w) => w.branch === branch && !w.prunable) ?? null
}

/** The main working tree of the repository a worktree belongs to (the first entry). */
export async function mainWorktree(cwd: string): Promise<string> {
  const first = (await listWorktrees(cwd))[0]
  return first ? first.path : topLevel(cwd)
}

/**
 * A merge, rebase, cherry-pick or revert that is stopped half-way. Committing "everything" then
 * would seal conflict markers into history, so safety commits wait.
 */
export async function operationInProgress(cwd: string): Promise<'merge' | 'rebase' | 'cherry-pick' | 'revert' | null> {
  const checks: [string, 'merge' | 'rebase' | 'cherry-pick' | 'revert'][] = [
    ['MERGE_HEAD', 'merge'],
    ['rebase-merge', 'rebase'],
    ['rebase-apply', 'rebase'],
    ['CHERRY_PICK_HEAD', 'cherry-pick'],
    ['REVERT_HEAD', 'revert'],
  ]
  for (const [name, kind] of checks) {
    try {
      await access(await gitPath(cwd, name))
      return kind
    } catch {
      /* not this one */
    }
  }
  return null
}
