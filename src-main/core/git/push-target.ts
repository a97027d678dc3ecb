// Completion actions against another repository on this machine: push the task's work there as a
// branch, or push it and merge it into a target branch of that repository.
import { lstat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { commitAll } from './commit'
import { mergeBranchInto, type MergeIntoOutcome } from './merge-into'
import { expandTilde } from './paths'
import { assertRefName } from './refs'
import { runGit } from './run'

export interface PushToTargetInput {
  worktree: string
  /** A path to a git repository (a working tree or a bare repo); `~` is expanded. */
  targetRepo: string
  branch: string
  taskName: string
}

export type PushToTargetOutcome =
  | { kind: 'pushed'; branch: string; targetRepo: string; sha: string; checkpointSha: string | null }
  | { kind: 'target-missing'; targetRepo: string }
  | { kind: 'rejected'; message: string }

async function isRepo(p: string): Promise<boolean> {
  try {
    await lstat(p)
  } catch {
    return false
  }
  const r = await runGit(['rev-parse', '--git-dir'], { operation: 'rev-parse', cwd: p, okExitCodes: [0, 128] })
  return r.exitCode === 0
}

export async function pushToTargetRepo(input: PushToTargetInput): Promise<PushToTargetOutcome> {
  const branch = assertRefName(input.branch)
  const target = resolve(expandTilde(input.targetRepo))
  if (!(await isRepo(target))) return { kind: 'target-missing', targetRepo: target }
  const checkpointSha = await commitAll(input.worktree, `${input.taskName}`.trim() || 'Task changes', 'push to target')
  const sha = (await runGit(['rev-parse', 'HEAD'], { operation: 'push to target', cwd: input.worktree })).stdout.trim()
  // An absolute path can never be read as an option.
  const r = await runGit(['push', '--quiet', target, `HEAD:refs/heads/${branch}`], {
    operation: 'push to target',
    cwd: input.worktree,
    okExitCodes: [0, 1, 128],
    timeoutMs: 300_000,
  })
  if (r.exitCode !== 0) return { kind: 'rejected', message: r.stderr.trim() }
  return { kind: 'pushed', branch, targetRepo: target, sha, checkpointSha }
}

export type MergeToTargetRepoOutcome =
  | Exclude<PushToTargetOutcome, { kind: 'pushed' }>
  | (MergeIntoOutcome & { branch: string; targetBranch: string; targetRepo: string })

export async function mergeToTargetRepo(input: PushToTargetInput & { targetBranch: string; squash?: boolean; taskId?: string; tempDir?: string }): Promise<MergeToTargetRepoOutcome> {
  const targetBranch = assertRefName(input.targetBranch)
  const pushed = await pushToTargetRepo(input)
  if (pushed.kind !== 'pushed') return pushed
  const label = input.taskId ? `task ${input.taskId}` : input.taskName
  const out = await mergeBranchInto({
    repo: pushed.targetRepo,
    source: pushed.branch,
    target: targetBranch,
    squash: input.squash ?? false,
    message: `Merge ${label} into ${targetBranch}`,
    squashMessage: `Squashed merge of ${label}`,
    tempDir: input.tempDir,
  })
  return { ...out, branch: pushed.branch, targetBranch, targetRepo: pushed.targetRepo }
}
