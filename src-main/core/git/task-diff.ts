// A task's diff: its uncommitted changes (untracked files included) when there are any, else the
// commits it made since it left its base branch (not "the last 10 commits"); once merged back,
// the commits it made since it was created.
import { findForkPoint } from './fork-point'
import { diffWorkingTree } from './patch'
import { GitOutputTooLargeError, runGit } from './run'

export type TaskDiffOutcome =
  | { kind: 'uncommitted'; diff: string; files: string[] }
  | { kind: 'commits'; diff: string; base: string; commitCount: number; merged: boolean }
  | { kind: 'empty' }
  | { kind: 'base-missing'; baseBranch: string }
  | { kind: 'too-large'; limitBytes: number }

/** The most diff text one answer carries: the whole of it goes to the renderer in one frame. */
export const MAX_TASK_DIFF_BYTES = 16 * 1024 * 1024

export async function getTaskDiff(input: { worktree: string; baseBranch: string; maxBytes?: number }): Promise<TaskDiffOutcome> {
  const limitBytes = input.maxBytes ?? MAX_TASK_DIFF_BYTES
  try {
    return await readTaskDiff(input.worktree, input.baseBranch, limitBytes)
  } catch (err) {
    if (err instanceof GitOutputTooLargeError) return { kind: 'too-large', limitBytes }
    throw err
  }
}

async function readTaskDiff(cwd: string, baseBranch: string, maxBytes: number): Promise<TaskDiffOutcome> {
  const working = await diffWorkingTree(cwd, 'HEAD', { binary: false, maxBytes })
  if (working.files.length > 0) return { kind: 'uncommitted', diff: working.patch.toString('utf8'), files: working.files }
  const fork = await findForkPoint(cwd, baseBranch)
  if (fork.kind === 'base-missing') return fork
  if (fork.commitCount === 0) return { kind: 'empty' }
  const log = await runGit(['log', '-p', '--reverse', '--no-color', '--no-ext-diff', `${fork.sha}..HEAD`, '--'], { operation: 'task diff', cwd, timeoutMs: 120_000, maxStdoutBytes: maxBytes })
  return { kind: 'commits', diff: log.stdout, base: fork.sha, commitCount: fork.commitCount, merged: fork.merged }
}
