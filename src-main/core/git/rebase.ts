// "Update from base" by rebase: replay the task's commits on top of its base, in its worktree.
// A stop on conflicts leaves the rebase in progress so the conflict editor can resolve it (the
// index holds the same stages as a merge's); continue or abort finish it. Anything else that
// stops a rebase is aborted at once, so the branch is as it was.
import { access, readFile } from 'node:fs/promises'
import { fallbackIdentityEnv } from './commit'
import { gitPath, isDirty, resolveCommit } from './inspect'
import { mergeInProgress, unmergedFiles } from './merge'
import { assertRefName } from './refs'
import { gitText, runGit } from './run'

export type RebaseOutcome =
  | { kind: 'rebased'; sha: string }
  | { kind: 'up-to-date' }
  | { kind: 'conflicts'; files: string[] }
  | { kind: 'branch-missing'; branch: string }
  | { kind: 'in-progress' }
  | { kind: 'uncommitted-changes' }
  | { kind: 'refused'; message: string }

/** Commits a continue may step over in one call (each empty after resolution is skipped). */
const MAX_STEPS = 1_000

export async function rebaseInProgress(cwd: string): Promise<boolean> {
  for (const name of ['rebase-merge', 'rebase-apply']) {
    try {
      await access(await gitPath(cwd, name))
      return true
    } catch {
      /* not this one */
    }
  }
  return false
}

/** No editor may open (nobody is there to close it); the identity fallback signs the commits. */
async function rebaseEnv(cwd: string): Promise<Record<string, string>> {
  return { ...(await fallbackIdentityEnv(cwd)), GIT_EDITOR: 'true', GIT_SEQUENCE_EDITOR: 'true' }
}

export async function startRebase(input: { worktree: string; onto: string }): Promise<RebaseOutcome> {
  const cwd = input.worktree
  const branch = assertRefName(input.onto)
  if ((await rebaseInProgress(cwd)) || (await mergeInProgress(cwd))) return { kind: 'in-progress' }
  const onto = await resolveCommit(cwd, `refs/heads/${branch}`)
  if (!onto) return { kind: 'branch-missing', branch }
  if (await isDirty(cwd)) return { kind: 'uncommitted-changes' }
  const before = await gitText(['rev-parse', 'HEAD'], { operation: 'rebase', cwd })
  const r = await runGit(['rebase', '--no-autostash', '--no-verify', onto], { operation: 'rebase', cwd, okExitCodes: [0, 1, 128], timeoutMs: 300_000, env: await rebaseEnv(cwd) })
  return settle(cwd, r.exitCode, r.stderr || r.stdout, before)
}

export async function continueRebase(worktree: string): Promise<RebaseOutcome | { kind: 'no-rebase' }> {
  const cwd = worktree
  if (!(await rebaseInProgress(cwd))) return { kind: 'no-rebase' }
  const files = await unmergedFiles(cwd)
  if (files.length > 0) return { kind: 'conflicts', files }
  const env = await rebaseEnv(cwd)
  for (let step = 0; step < MAX_STEPS; step++) {
    // A commit the resolution emptied cannot be continued; it is skipped (its change is already in).
    const empty = (await runGit(['diff', '--cached', '--quiet'], { operation: 'rebase continue', cwd, okExitCodes: [0, 1] })).exitCode === 0
    const head = await gitText(['rev-parse', 'HEAD'], { operation: 'rebase continue', cwd })
    const r = await runGit(['rebase', empty ? '--skip' : '--continue'], { operation: 'rebase continue', cwd, okExitCodes: [0, 1, 128], timeoutMs: 300_000, env })
    if (r.exitCode === 0 || !(await rebaseInProgress(cwd))) return settle(cwd, r.exitCode, r.stderr || r.stdout, null)
    const left = await unmergedFiles(cwd)
    if (left.length > 0) return { kind: 'conflicts', files: left }
    // Stopped without conflicts and without progress (a hook, say): say so; the rebase stays for Abort.
    if (r.exitCode !== 0 && (await gitText(['rev-parse', 'HEAD'], { operation: 'rebase continue', cwd })) === head) {
      return { kind: 'refused', message: (r.stderr || r.stdout).trim() || 'git rebase --continue stopped' }
    }
  }
  return { kind: 'refused', message: `the rebase did not finish after ${MAX_STEPS} steps` }
}

export async function abortRebase(worktree: string): Promise<{ kind: 'aborted' } | { kind: 'no-rebase' }> {
  if (!(await rebaseInProgress(worktree))) return { kind: 'no-rebase' }
  await runGit(['rebase', '--abort'], { operation: 'rebase abort', cwd: worktree })
  return { kind: 'aborted' }
}

/** The branch the rebase in progress replays onto (a branch at that commit), if any. */
export async function rebaseOnto(cwd: string): Promise<string | null> {
  for (const name of ['rebase-merge/onto', 'rebase-apply/onto']) {
    try {
      const onto = (await readFile(await gitPath(cwd, name), 'utf8')).trim()
      if (!/^[0-9a-f]{40,64}$/.test(onto)) continue
      const out = await gitText(['for-each-ref', `--points-at=${onto}`, '--format=%(refname:short)', 'refs/heads/'], { operation: 'rebase status', cwd })
      return out.split('\n').find(Boolean) ?? onto.slice(0, 8)
    } catch {
      /* not this backend */
    }
  }
  return null
}

async function settle(cwd: string, exitCode: number, said: string, before: string | null): Promise<RebaseOutcome> {
  if (exitCode === 0 && !(await rebaseInProgress(cwd))) {
    const sha = await gitText(['rev-parse', 'HEAD'], { operation: 'rebase', cwd })
    return before !== null && sha === before ? { kind: 'up-to-date' } : { kind: 'rebased', sha }
  }
  const files = (await rebaseInProgress(cwd)) ? await unmergedFiles(cwd) : []
  if (files.length > 0) return { kind: 'conflicts', files }
  // Stopped for another reason (a hook, a broken commit): put the branch back as it was.
  if (await rebaseInProgress(cwd)) await runGit(['rebase', '--abort'], { operation: 'rebase abort', cwd, okExitCodes: [0, 1, 128] })
  return { kind: 'refused', message: said.trim() || 'git rebase stopped' }
}
