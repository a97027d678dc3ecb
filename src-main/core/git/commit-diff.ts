// One commit's diff for the per-commit view. Only a commit of the task's own history may be read
// (an ancestor of its HEAD); a merge commit shows what it brought in against its first parent.
import { GitOutputTooLargeError, runGit } from './run'

export type CommitDiffOutcome =
  | { kind: 'diff'; sha: string; subject: string; diff: string }
  | { kind: 'not-found'; sha: string }
  | { kind: 'too-large'; limitBytes: number }

const SHA = /^[0-9a-f]{7,64}$/

export async function getCommitDiff(input: { worktree: string; sha: string; maxBytes: number }): Promise<CommitDiffOutcome> {
  const { worktree: cwd, sha } = input
  if (!SHA.test(sha)) return { kind: 'not-found', sha }
  const full = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${sha}^{commit}`], { operation: 'commit diff', cwd, okExitCodes: [0, 1, 128] })
  if (full.exitCode !== 0) return { kind: 'not-found', sha }
  const commit = full.stdout.trim()
  const ours = await runGit(['merge-base', '--is-ancestor', commit, 'HEAD'], { operation: 'commit diff', cwd, okExitCodes: [0, 1] })
  if (ours.exitCode !== 0) return { kind: 'not-found', sha }
  try {
    const r = await runGit(['show', '--no-color', '--no-ext-diff', '--diff-merges=first-parent', '--format=%s%n', commit, '--'], { operation: 'commit diff', cwd, timeoutMs: 120_000, maxStdoutBytes: input.maxBytes })
    const nl = r.stdout.indexOf('\n')
    const subject = nl < 0 ? r.stdout : r.stdout.slice(0, nl)
    return { kind: 'diff', sha: commit, subject, diff: r.stdout.slice(nl < 0 ? r.stdout.length : nl + 1).replace(/^\n+/, '') }
  } catch (err) {
    if (err instanceof GitOutputTooLargeError) return { kind: 'too-large', limitBytes: input.maxBytes }
    throw err
  }
}
