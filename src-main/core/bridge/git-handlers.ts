// Bridge requests that work on a task's worktree: diff and the merge engine (the UI's merge view).
// Merges into a supervisor's worktree record merged subtasks, like the server's merge commands.
import type { ConflictVersions, MergeOutcome, MergeStatus } from '../../../src-preload/contract'
import * as git from '../git'
import type { Logger } from '../log/logger'
import type { TaskRecord, TaskRepository } from '../store/task-repository'
import type { RecordPatch } from '../tasks/record-changes'
import { BridgeError, type PartialHandlers } from './dispatch'

export interface GitHandlerDeps {
  tasks: TaskRepository
  /** Where temporary merge worktrees go. */
  tempDir?: string
  /** Environment for `gh` (tests put a fake first on PATH). */
  ghEnv?: Record<string, string | undefined>
  /** Changes a task's record (merged, worktree removed) in the manager's live copy and the store,
   *  and tells the views; without it (tests) the store alone is written. */
  patchTask?: (taskId: string, patch: RecordPatch) => void
  /** The task's worktree or branch changed (a merge, an abort): views re-read its diff. */
  worktreeChanged?: (taskId: string) => void
  log?: Logger
}

type Side = git.ConflictSide

const text = (s: Side): string | null => (s.kind === 'text' ? s.content : null)

/** Diffs read at once for the UI; more are answered busy at once rather than queued behind git. */
export const MAX_DIFFS_IN_FLIGHT = 32

export function createGitHandlers(deps: GitHandlerDeps): PartialHandlers {
  const worktreeOf = (taskId: string) => {
    const t = deps.tasks.get(taskId)
    if (!t) throw new BridgeError('not-found', `Task ${taskId} not found`)
    if (!t.worktreePath) throw new BridgeError('conflict', `Task ${t.name} has no worktree.`)
    return { task: t, worktree: t.worktreePath }
  }
  const patch = (task: TaskRecord, changes: RecordPatch) => {
    if (deps.patchTask) deps.patchTask(task.id, changes)
    else deps.tasks.save({ ...task, ...changes, updatedAt: new Date().toISOString() })
  }
  const recording = async (taskId: string, worktree: string): Promise<git.MergeRecording> => ({
    store: await git.JsonMergeRecordStore.forRepo(worktree),
    orchestratorTaskId: taskId,
    knownTaskIds: deps.tasks.list({}).map((t) => t.id),
  })

  const taskDiff = async (taskId: string) => {
    const { task, worktree } = worktreeOf(taskId)
    const base = task.baseBranch ?? (await git.detectDefaultBranch(worktree)) ?? 'main'
    const r = await git.getTaskDiff({ worktree, baseBranch: base })
    switch (r.kind) {
      case 'uncommitted':
        return { diff: r.diff, scope: 'uncommitted' as const }
      case 'commits':
        return { diff: r.diff, scope: r.merged ? ('merged' as const) : ('commits' as const) }
      case 'empty':
        return { diff: '', scope: 'empty' as const }
      case 'base-missing':
        throw new BridgeError('conflict', `The base branch ${r.baseBranch} no longer exists.`)
      case 'too-large':
        return { diff: '', tooLarge: { limitBytes: r.limitBytes } }
    }
  }
  // Where the task's work goes back to: its target, else its base, else the repository's default.
  const baseOf = async (task: { targetBranch: string | null; baseBranch: string | null }, worktree: string) =>
    task.targetBranch ?? task.baseBranch ?? (await git.detectDefaultBranch(worktree)) ?? 'main'
  let diffsInFlight = 0
  const changed = (taskId: string) => deps.worktreeChanged?.(taskId)
  return {
    getTaskDiff: async ({ taskId }) => {
      if (diffsInFlight >= MAX_DIFFS_IN_FLIGHT) throw new BridgeError('unavailable', `Busy: ${MAX_DIFFS_IN_FLIGHT} diffs are being read; try again shortly.`)
      diffsInFlight++
      try {
        return await taskDiff(taskId)
      } finally {
        diffsInFlight--
      }
    },
    listBranches: async ({ taskId }) => {
      const { worktree } = worktreeOf(taskId)
      const branches = await git.listTaskBranches({ worktree, knownTaskIds: deps.tasks.list({}).map((t) => t.id) })
      return branches.map(({ name, taskId: id, isMerged, lastCommit, lastCommitMessage }) => ({ name, taskId: id, isMerged, lastCommit, lastCommitMessage }))
    },
    mergeStart: async ({ taskId, sourceBranch }): Promise<MergeOutcome> => {
      const { worktree } = worktreeOf(taskId)
      if (git.refNameProblem(sourceBranch)) throw new BridgeError('invalid-params', `Invalid branch name ${JSON.stringify(sourceBranch)}: ${git.refNameProblem(sourceBranch)}`)
      const outcome = startOutcome(await git.startMerge({ worktree, sourceBranch, recording: await recording(taskId, worktree) }), sourceBranch)
      changed(taskId)
      return outcome
    },
    listLocalBranches: async ({ taskId }) => {
      const { task, worktree } = worktreeOf(taskId)
      const base = await baseOf(task, worktree)
      const all = await git.listLocalBranches(worktree)
      return { base, branches: [...all.filter((b) => b === base), ...all.filter((b) => b !== base)] }
    },
    updateFromBase: async ({ taskId, baseBranch, mode }): Promise<MergeOutcome> => {
      const { task, worktree } = worktreeOf(taskId)
      const base = baseBranch ?? (await baseOf(task, worktree))
      if (git.refNameProblem(base)) throw new BridgeError('invalid-params', `Invalid branch name ${JSON.stringify(base)}`)
      const outcome = mode === 'rebase' ? rebaseOutcome(await git.startRebase({ worktree, onto: base }), base) : startOutcome(await git.startMerge({ worktree, sourceBranch: base }), base)
      changed(taskId)
      deps.log?.info('task updated from base', { taskId, name: task.name, base, mode: mode ?? 'merge', outcome: outcome.kind, message: outcome.message })
      return outcome
    },
    mergeStatus: async ({ taskId }) => {
      const { worktree } = worktreeOf(taskId)
      return conflictStatus(worktree)
    },
    getConflictVersions: async ({ taskId, file }): Promise<ConflictVersions> => {
      const { worktree } = worktreeOf(taskId)
      const r = await git.getConflictVersions({ worktree, file })
      if (r.kind === 'no-merge') throw new BridgeError('conflict', 'No merge is in progress.')
      if (r.kind === 'not-conflicted') throw new BridgeError('conflict', `${file} is not conflicted.`)
      const v = r.versions
      const binary = [v.base, v.ours, v.theirs].some((s) => s.kind === 'binary' || s.kind === 'too-large')
      return { file: v.file, base: text(v.base), ours: text(v.ours), theirs: text(v.theirs), binary }
    },
    mergeResolve: async (params) => {
      const { worktree } = worktreeOf(params.taskId)
      const resolution: git.ConflictResolution = 'strategy' in params ? { kind: params.strategy } : { kind: 'content', content: params.content }
      const r = await git.resolveConflict({ worktree, file: params.file, resolution })
      if (r.kind === 'no-merge') throw new BridgeError('conflict', 'No merge is in progress.')
      if (r.kind === 'not-conflicted') throw new BridgeError('conflict', `${params.file} is not conflicted.`)
      return conflictStatus(worktree)
    },
    mergeCommit: async ({ taskId, message }): Promise<MergeOutcome> => {
      const { worktree } = worktreeOf(taskId)
      if (await git.rebaseInProgress(worktree)) {
        const onto = await git.rebaseOnto(worktree)
        const r = await git.continueRebase(worktree)
        changed(taskId)
        if (r.kind === 'no-rebase') return { kind: 'failed', message: 'No rebase is in progress.' }
        if (r.kind === 'refused') return { kind: 'failed', message: `The rebase could not continue: ${r.message} (resolve it, or abort the rebase)` }
        return rebaseOutcome(r, onto ?? 'the base')
      }
      const r = await git.commitMerge({ worktree, message, recording: await recording(taskId, worktree) })
      changed(taskId)
      switch (r.kind) {
        case 'committed':
          return { kind: 'merged', commitSha: r.sha, message: `Merged ${r.sourceBranch ?? 'branch'}` }
        case 'unresolved':
          return { kind: 'conflicts', files: r.files, message: 'Resolve every conflicted file first' }
        case 'no-merge':
          return { kind: 'failed', message: 'No merge is in progress.' }
      }
    },
    mergeAbort: async ({ taskId }) => {
      const { worktree } = worktreeOf(taskId)
      if (await git.rebaseInProgress(worktree)) await git.abortRebase(worktree)
      else await git.abortMerge(worktree)
      changed(taskId)
      return null
    },
    mergeTaskToTarget: async ({ taskId, targetBranch, squash }): Promise<MergeOutcome> => {
      const { task, worktree } = worktreeOf(taskId)
      const target = targetBranch ?? (await baseOf(task, worktree))
      if (git.refNameProblem(target)) throw new BridgeError('invalid-params', `Invalid branch name ${JSON.stringify(target)}`)
      const r = await git.mergeTaskToTarget({ worktree, taskId, targetBranch: target, squash, tempDir: deps.tempDir })
      deps.log?.info('task merge into target', { taskId, name: task.name, target, outcome: r.kind })
      if (r.kind === 'merged' || r.kind === 'up-to-date') {
        patch(task, { mergedInto: r.targetBranch })
        changed(taskId)
      }
      switch (r.kind) {
        case 'merged':
          return { kind: 'merged', commitSha: r.sha, message: `Merged ${r.sourceBranch} into ${r.targetBranch}${squash ? ' (squashed)' : ''}` }
        case 'up-to-date':
          return { kind: 'merged', commitSha: r.sha, message: `${r.targetBranch} already has every change of ${r.sourceBranch}` }
        case 'conflicts':
          return { kind: 'conflicts', files: r.files, message: `Merging into ${r.targetBranch} conflicts; nothing was changed. Merge ${r.targetBranch} into the task first and resolve there.` }
        case 'target-missing':
          return { kind: 'failed', message: `Branch ${r.branch} does not exist` }
        case 'source-missing':
          return { kind: 'failed', message: `The task's branch ${r.branch} does not exist` }
        case 'target-busy':
          return { kind: 'failed', message: r.message }
        case 'detached-head':
          return { kind: 'failed', message: 'The task worktree is not on a branch' }
        case 'same-branch':
          return { kind: 'failed', message: `The task is already on ${r.branch}` }
      }
    },
    createPullRequest: async ({ taskId, title, body, base }) => {
      const { task, worktree } = worktreeOf(taskId)
      const baseBranch = base ?? task.targetBranch ?? task.baseBranch ?? (await git.detectDefaultBranch(worktree)) ?? 'main'
      const r = await git.createPullRequest({ worktree, title, body: body ?? null, base: baseBranch, env: deps.ghEnv })
      if (r.kind === 'created') return { url: r.url, number: r.number }
      throw new BridgeError('conflict', r.message)
    },
    removeWorktree: async ({ taskId, deleteBranch }) => {
      const { task, worktree } = worktreeOf(taskId)
      if (!['completed', 'failed', 'interrupted'].includes(task.state)) throw new BridgeError('conflict', 'Stop the task before removing its worktree.')
      const r = await git.removeWorktree({ worktree, deleteBranch })
      switch (r.kind) {
        case 'removed': {
          patch(task, { worktreePath: null })
          const saved = r.wipCommitSha ? ` Uncommitted work was saved in commit ${r.wipCommitSha.slice(0, 8)} on ${r.branch}.` : ''
          const kept = r.branchKeptReason ? ` The branch was kept: ${r.branchKeptReason}` : r.branchDeleted ? ' The branch was deleted.' : ''
          return { message: `Worktree removed.${saved}${kept}` }
        }
        case 'not-found':
          patch(task, { worktreePath: null })
          return { message: 'The worktree was already gone.' }
        case 'not-a-worktree':
        case 'busy':
          throw new BridgeError('conflict', r.message)
      }
    },
  }
}

function startOutcome(r: Awaited<ReturnType<typeof git.startMerge>>, sourceBranch: string): MergeOutcome {
  switch (r.kind) {
    case 'merged':
      return { kind: 'merged', commitSha: r.sha, message: `Merged ${sourceBranch}` }
    case 'up-to-date':
      return { kind: 'merged', commitSha: null, message: `${sourceBranch} is already merged` }
    case 'conflicts':
      return { kind: 'conflicts', files: r.files, message: `${r.files.length} conflicted file(s)` }
    case 'branch-missing':
      return { kind: 'failed', message: `Branch ${r.branch} does not exist` }
    case 'merge-in-progress':
      return { kind: 'failed', message: 'A merge is already in progress: finish or abort it first' }
    case 'uncommitted-changes':
      return { kind: 'failed', message: 'The worktree has uncommitted changes: commit or stash them first' }
    case 'refused':
      return { kind: 'failed', message: r.message }
  }
}

/** A merge's status, or a rebase stopped on conflicts shown the same way. */
async function conflictStatus(worktree: string): Promise<MergeStatus> {
  if (await git.rebaseInProgress(worktree)) return { inProgress: true, sourceBranch: await git.rebaseOnto(worktree), conflictedFiles: await git.unmergedFiles(worktree), operation: 'rebase' }
  return { ...(await git.getMergeStatus(worktree)), operation: 'merge' }
}

function rebaseOutcome(r: git.RebaseOutcome, onto: string): MergeOutcome {
  switch (r.kind) {
    case 'rebased':
      return { kind: 'merged', commitSha: r.sha, message: `Rebased onto ${onto}` }
    case 'up-to-date':
      return { kind: 'merged', commitSha: null, message: `Already up to date with ${onto}` }
    case 'conflicts':
      return { kind: 'conflicts', files: r.files, message: `${r.files.length} conflicted file(s) while rebasing onto ${onto}` }
    case 'branch-missing':
      return { kind: 'failed', message: `Branch ${r.branch} does not exist` }
    case 'in-progress':
      return { kind: 'failed', message: 'A merge or rebase is already in progress: finish or abort it first' }
    case 'uncommitted-changes':
      return { kind: 'failed', message: 'The worktree has uncommitted changes: commit or stash them first' }
    case 'refused':
      return { kind: 'failed', message: `The rebase stopped and was undone; the branch is unchanged: ${r.message}` }
  }
}
