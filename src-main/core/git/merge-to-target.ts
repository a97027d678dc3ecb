// Deliver a task into a target branch of its own repository (optionally squashed). The task's
// uncommitted work is committed first; the reported sha is that of the final commit (the
// original reported the sha from before its squash commit).
import { commitAll } from './commit'
import { currentBranch } from './inspect'
import { mergeBranchInto, type MergeIntoOutcome } from './merge-into'
import { assertRefName } from './refs'

export interface MergeTaskToTargetInput {
  worktree: string
  taskId: string
  targetBranch: string
  squash: boolean
  tempDir?: string
}

export type MergeTaskToTargetOutcome =
  | (MergeIntoOutcome & { sourceBranch: string; targetBranch: string; checkpointSha: string | null })
  | { kind: 'detached-head' }
  | { kind: 'same-branch'; branch: string }

export async function mergeTaskToTarget(input: MergeTaskToTargetInput): Promise<MergeTaskToTargetOutcome> {
  const target = assertRefName(input.targetBranch)
  const source = await currentBranch(input.worktree)
  if (!source) return { kind: 'detached-head' }
  if (source === target) return { kind: 'same-branch', branch: source }
  const checkpointSha = await commitAll(input.worktree, 'Task completion checkpoint', 'merge to target')
  const out = await mergeBranchInto({
    repo: input.worktree,
    source,
    target,
    squash: input.squash,
    message: `Merge task ${input.taskId} into ${target}`,
    squashMessage: `Squashed merge of task ${input.taskId}`,
    tempDir: input.tempDir,
  })
  return { ...out, sourceBranch: source, targetBranch: target, checkpointSha }
}
