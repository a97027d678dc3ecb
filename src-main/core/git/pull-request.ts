// Pull requests through the GitHub CLI. `gh` missing or not logged in are expected outcomes with a
// message a person can act on. The branch is pushed to origin first; the URL and number are parsed
// from gh's output.
import { currentBranch } from './inspect'
import { assertRefName } from './refs'
import { CommandNotFoundError, runGit } from './run'

export interface CreatePullRequestInput {
  worktree: string
  title: string
  body?: string | null
  base: string
  /** The gh program (default 'gh', found on PATH). */
  ghCommand?: string
  /** Extra environment for gh and the push (tests put a fake gh first on PATH; GH_TOKEN…). */
  env?: Record<string, string | undefined>
  timeoutMs?: number
}

export type CreatePullRequestOutcome =
  | { kind: 'created'; url: string; number: number | null; branch: string }
  | { kind: 'gh-missing'; message: string }
  | { kind: 'gh-not-authenticated'; message: string }
  | { kind: 'detached-head'; message: string }
  | { kind: 'push-failed'; message: string }
  | { kind: 'gh-failed'; message: string }

/** The last https URL gh printed, and its trailing number. */
export function parsePrUrl(stdout: string): { url: string; number: number | null } | null {
  const urls = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^https?:\/\/\S+$/.test(l))
  const url = urls.at(-1)
  if (!url) return null
  const m = /\/(\d+)\/?$/.exec(url)
  return { url, number: m ? Number(m[1]) : null }
}

export async function createPullRequest(input: CreatePullRequestInput): Promise<CreatePullRequestOutcome> {
  const cwd = input.worktree
  const base = assertRefName(input.base)
  const gh = input.ghCommand ?? 'gh'
  const ghRun = (args: string[], okExitCodes: number[]) =>
    runGit(args, { operation: 'gh', command: gh, cwd, env: { GH_PROMPT_DISABLED: '1', NO_COLOR: '1', ...input.env }, okExitCodes, timeoutMs: input.timeoutMs ?? 120_000 })
  try {
    const auth = await ghRun(['auth', 'status'], [0, 1, 2, 4])
    if (auth.exitCode !== 0) {
      return {
        kind: 'gh-not-authenticated',
        message: `The GitHub CLI is not logged in: run \`gh auth login\` (or set GH_TOKEN) and try again. ${auth.stderr.trim()}`.trim(),
      }
    }
  } catch (e) {
    if (e instanceof CommandNotFoundError) {
      return { kind: 'gh-missing', message: 'The GitHub CLI (gh) is not installed or not on PATH: install it from https://cli.github.com and run `gh auth login`.' }
    }
    throw e
  }
  const branch = await currentBranch(cwd)
  if (!branch) return { kind: 'detached-head', message: 'The worktree is on a detached HEAD: create a branch before opening a pull request.' }
  const push = await runGit(['push', '--quiet', '-u', 'origin', 'HEAD'], { operation: 'push', cwd, env: input.env, okExitCodes: [0, 1, 128], timeoutMs: input.timeoutMs ?? 120_000 })
  if (push.exitCode !== 0) return { kind: 'push-failed', message: `Pushing ${branch} to origin failed: ${push.stderr.trim()}` }
  const r = await ghRun(['pr', 'create', '--title', input.title, '--body', input.body ?? '', '--base', base, '--head', branch], [0, 1, 2, 4])
  if (r.exitCode !== 0) return { kind: 'gh-failed', message: `gh pr create failed: ${(r.stderr || r.stdout).trim()}` }
  const parsed = parsePrUrl(r.stdout)
  if (!parsed) return { kind: 'gh-failed', message: `gh pr create printed no pull request URL: ${r.stdout.trim()}` }
  return { kind: 'created', url: parsed.url, number: parsed.number, branch }
}
