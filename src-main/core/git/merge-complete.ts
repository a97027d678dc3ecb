// Can an orchestrator finish? Every task branch must be merged (in git, or recorded when the
// merge committed) or skipped with a reason. Branches without a task id count as unmerged.
import { listTaskBranches } from './branches'
import type { MergeRecordStore } from './merge-records'

export async function skipSubtask(input: { store: MergeRecordStore; orchestratorTaskId: string; subtaskId: string; reason: string }): Promise<void> {
  await input.store.markSkipped(input.orchestratorTaskId, input.subtaskId, input.reason)
}

export interface MergeCompleteCheck {
  canComplete: boolean
  unmergedBranches: string[]
  mergedCount: number
  skippedCount: number
}

export async function checkMergeComplete(input: {
  worktree: string
  store: MergeRecordStore
  orchestratorTaskId: string
  knownTaskIds?: readonly string[]
  /** Limit the check to these subtasks' branches (recommended: an orchestrator's own subtasks). */
  subtaskIds?: readonly string[]
}): Promise<MergeCompleteCheck> {
  const branches = await listTaskBranches({ worktree: input.worktree, knownTaskIds: input.knownTaskIds, onlyTaskIds: input.subtaskIds })
  const rec = await input.store.get(input.orchestratorTaskId)
  const skippedIds = Object.keys(rec.skipped).map((s) => s.toLowerCase())
  const recordedTaskIds = new Set(Object.values(rec.merged).map((m) => m.taskId).filter((t): t is string => t !== null))
  let mergedCount = 0
  let skippedCount = 0
  const unmerged: string[] = []
  for (const b of branches) {
    const isSkipped = b.shortId !== null && skippedIds.some((id) => (b.taskId ? id === b.taskId.toLowerCase() : id.startsWith(b.shortId ?? '\0')))
    if (b.isMerged || rec.merged[b.name] || (b.taskId && recordedTaskIds.has(b.taskId))) mergedCount++
    else if (isSkipped) skippedCount++
    else unmerged.push(b.name)
  }
  return { canComplete: unmerged.length === 0, unmergedBranches: unmerged, mergedCount, skippedCount }
}
