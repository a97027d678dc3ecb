// A task's diff: its uncommitted changes (untracked files included) when there are any, else the
// commits it made since it left its base branch (not "the last 10 commits").
import { resolveCommit } from './inspect'
import { diffWorkingTree } from './patch'
import { assertRevision } from './refs'
import { gitText, runGit } from './run'

export type TaskDiffOutcome =
  | { kind: 'uncommitted'; diff: string; files: string[] }
  | { kind: 'commits'; diff: string; base: string; commitCount: number }
  | { kind: 'empty' }
  | { kind: 'base-missing'; baseBranch: string }

export async function getTaskDiff(input: { worktree: string; baseBranch: string }): Promise<TaskDiffOutcome> {
  const cwd = input.worktree
  const working = await diffWorkingTree(cwd, 'HEAD', { binary: false })
  if (working.files.length > 0) return { kind: 'uncommitted', diff: working.patch.toString('utf8'), files: working.files }
  const baseRef = assertRevision(input.baseBranch)
  const baseSha = (await resolveCommit(cwd, baseRef)) ?? (await resolveCommit(cwd, `origin/${baseRef}`))
  if (!baseSha) return { kind: 'base-missing', baseBranch: input.baseBranch }
  const forkPoint = await gitText(['merge-base', 'HEAD', baseSha], { operation: 'task diff', cwd })
  const count = Number(await gitText(['rev-list', '--count', `${forkPoint}..HEAD`], { operation: 'task diff', cwd }))
  if (count === 0) return { kind: 'empty' }
  const log = await runGit(['log', '-p', '--reverse', '--no-color', '--no-ext-diff', `${forkPoint}..HEAD`, '--'], { operation: 'task diff', cwd, timeoutMs: 120_000 })
  return { kind: 'commits', diff: log.stdout, base: forkPoint, commitCount: count }
}
