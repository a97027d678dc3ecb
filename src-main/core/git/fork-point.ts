// Where a task's branch left its base: the merge base with the base branch, or — once the branch
// has been merged back (the base then contains every commit, so the merge base is HEAD itself) —
// the commit the branch was created at, read from its reflog, so its work can still be shown.
import { currentBranch, resolveCommit } from './inspect'
import { assertRefName, assertRevision } from './refs'
import { gitText, runGit } from './run'

export type ForkPoint =
  | { kind: 'found'; sha: string; commitCount: number; merged: boolean }
  | { kind: 'base-missing'; baseBranch: string }

/** Reflog text read at most: enough for thousands of entries, bounded for a runaway one. */
const MAX_REFLOG_BYTES = 4 * 1024 * 1024

export async function findForkPoint(cwd: string, baseBranch: string): Promise<ForkPoint> {
  const baseRef = assertRevision(baseBranch)
  const baseSha = (await resolveCommit(cwd, baseRef)) ?? (await resolveCommit(cwd, `origin/${baseRef}`))
  if (!baseSha) return { kind: 'base-missing', baseBranch }
  const sha = await gitText(['merge-base', 'HEAD', baseSha], { operation: 'fork point', cwd })
  const commitCount = await countSince(cwd, sha)
  if (commitCount > 0) return { kind: 'found', sha, commitCount, merged: false }
  const created = await creationPoint(cwd)
  if (created && created !== sha) {
    const n = await countSince(cwd, created)
    if (n > 0) return { kind: 'found', sha: created, commitCount: n, merged: true }
  }
  return { kind: 'found', sha, commitCount: 0, merged: false }
}

async function countSince(cwd: string, sha: string): Promise<number> {
  return Number(await gitText(['rev-list', '--count', `${sha}..HEAD`, '--'], { operation: 'fork point', cwd }))
}

/** The oldest reflog entry of the checked-out branch, when it is an ancestor of HEAD. */
async function creationPoint(cwd: string): Promise<string | null> {
  const branch = await currentBranch(cwd)
  if (!branch) return null
  const ref = `refs/heads/${assertRefName(branch)}`
  const r = await runGit(['log', '-g', '--format=%H', ref, '--'], { operation: 'fork point', cwd, okExitCodes: [0, 128], maxStdoutBytes: MAX_REFLOG_BYTES }).catch(() => null)
  if (!r || r.exitCode !== 0) return null
  const oldest = r.stdout.trim().split('\n').at(-1)?.trim()
  if (!oldest || !/^[0-9a-f]{40,64}$/.test(oldest)) return null
  const ancestor = await runGit(['merge-base', '--is-ancestor', oldest, 'HEAD'], { operation: 'fork point', cwd, okExitCodes: [0, 1, 128] })
  return ancestor.exitCode === 0 ? oldest : null
}
