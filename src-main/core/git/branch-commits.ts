// The commits a task's branch made since it left its base (or, once merged back, since it was
// created), newest first, for the per-commit view.
import { findForkPoint } from './fork-point'
import { runGit } from './run'

export interface BranchCommit {
  sha: string
  subject: string
  author: string
  /** ISO 8601 author date. */
  date: string
  parents: number
}

export type BranchCommitsOutcome =
  | { kind: 'commits'; base: string; merged: boolean; commits: BranchCommit[]; total: number }
  | { kind: 'base-missing'; baseBranch: string }

/** Commits listed at most; `total` says how many there are. */
export const MAX_BRANCH_COMMITS = 500

// Unit and record separators: never in a subject line git prints with %s.
const US = '\x1f'
const RS = '\x1e'

export async function listBranchCommits(input: { worktree: string; baseBranch: string; max?: number }): Promise<BranchCommitsOutcome> {
  const cwd = input.worktree
  const fork = await findForkPoint(cwd, input.baseBranch)
  if (fork.kind === 'base-missing') return fork
  if (fork.commitCount === 0) return { kind: 'commits', base: fork.sha, merged: false, commits: [], total: 0 }
  const max = Math.min(input.max ?? MAX_BRANCH_COMMITS, MAX_BRANCH_COMMITS)
  const format = ['%H', '%s', '%an', '%aI', '%P'].join(US) + RS
  const r = await runGit(['log', `--max-count=${max}`, `--format=${format}`, `${fork.sha}..HEAD`, '--'], { operation: 'branch commits', cwd, maxStdoutBytes: 16 * 1024 * 1024 })
  const commits = r.stdout
    .split(RS)
    .map((rec) => rec.replace(/^\n/, ''))
    .filter((rec) => rec.length > 0)
    .map((rec) => {
      const [sha = '', subject = '', author = '', date = '', parents = ''] = rec.split(US)
      return { sha, subject, author, date, parents: parents.trim() ? parents.trim().split(' ').length : 0 }
    })
  return { kind: 'commits', base: fork.sha, merged: fork.merged, commits, total: fork.commitCount }
}
