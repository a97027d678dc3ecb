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
  // Merged back, or never moved? Only a branch that moved since it was created (its reflog) made
  // commits of its own. Those start where the base stood just before it took the branch in (the
  // base's reflog), else where the branch was created (for a rebased branch that point is older
  // and would show the base's own work too, so it comes second).
  const head = await gitText(['rev-parse', 'HEAD'], { operation: 'fork point', cwd })
  const created = await creationPoint(cwd)
  if (!created || created === head) return { kind: 'found', sha, commitCount: 0, merged: false }
  const before = await baseBeforeMerge(cwd, baseRef)
  const fork = before ? await gitText(['merge-base', 'HEAD', before], { operation: 'fork point', cwd }) : null
  for (const from of fork && fork !== head && (await isAncestor(cwd, created, fork)) ? [fork, created] : [created]) {
    const n = await countSince(cwd, from)
    if (n > 0) return { kind: 'found', sha: from, commitCount: n, merged: true }
  }
  return { kind: 'found', sha, commitCount: 0, merged: false }
}

/** Reflog entries of the base looked at, newest first. */
const MAX_BASE_ENTRIES = 256

/** The newest position of the base branch (from its reflog) that did not contain HEAD yet. */
async function baseBeforeMerge(cwd: string, base: string): Promise<string | null> {
  if (assertRefNameOrNull(base) === null) return null
  const r = await runGit(['log', '-g', `-n${MAX_BASE_ENTRIES}`, '--format=%H', `refs/heads/${base}`, '--'], { operation: 'fork point', cwd, okExitCodes: [0, 128], maxStdoutBytes: MAX_REFLOG_BYTES }).catch(() => null)
  if (!r || r.exitCode !== 0) return null
  const entries = r.stdout.split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{40,64}$/.test(l))
  // Newest first: entries contain HEAD up to some point, then no longer (binary search for it).
  let lo = 0
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (await isAncestor(cwd, 'HEAD', entries[mid]!)) lo = mid + 1
    else hi = mid
  }
  return entries[lo] ?? null
}

async function isAncestor(cwd: string, a: string, b: string): Promise<boolean> {
  return (await runGit(['merge-base', '--is-ancestor', a, b], { operation: 'fork point', cwd, okExitCodes: [0, 1, 128] })).exitCode === 0
}

function assertRefNameOrNull(name: string): string | null {
  try {
    return assertRefName(name)
  } catch {
    return null
  }
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
  return (await isAncestor(cwd, oldest, 'HEAD')) ? oldest : null
}
