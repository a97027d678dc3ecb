// GitPort over the real git engine (src-main/core/git). Outcomes the server has no success path for
// (branch missing, merge already running, target exists…) become thrown errors with a message a
// person can act on; dispatch answers them as `success: false`.
import { resolve } from 'node:path'
import {
  abortMerge, checkMergeComplete, cloneWorktreeToDirectory, commitMerge, createBranch, createCheckpoint, createPullRequest, currentBranch,
  detectDefaultBranch, expandTilde, getMergeStatus, getTaskDiff, JsonMergeRecordStore, listTaskBranches, mergeTaskToTarget, mergeToTargetRepo,
  pushToTargetRepo, readGitIdentity, readRepoFile, removeWorktree, resolveConflict, skipSubtask, startMerge, targetDirectoryExists, worktreeNames,
  type GitIdentity, type MergeRecording,
} from '../git'
import type { GitPort, TaskWorktree } from './ports'

export interface GitAdapterOptions {
  /** Task ids the daemon knows, to turn short ids in branch names into full ids. */
  knownTaskIds?: () => readonly string[]
  ghCommand?: string
  ghEnv?: Record<string, string | undefined>
  /** Used by inheritGitConfig when the server names no directory. */
  defaultSourceDir?: string
  /** The identity read by inheritGitConfig, for the task engine to apply to new worktrees. */
  onIdentity?: (identity: GitIdentity) => void
}

const ACTION_LETTER: Record<string, string> = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R', copied: 'C', 'type-changed': 'T' }

export function createGitAdapter(opts: GitAdapterOptions = {}): GitPort {
  const known = () => opts.knownTaskIds?.() ?? []
  const recording = async (wt: TaskWorktree): Promise<MergeRecording> => ({
    store: await JsonMergeRecordStore.forRepo(wt.path),
    orchestratorTaskId: wt.taskId,
    knownTaskIds: known(),
  })
  const baseOf = async (wt: TaskWorktree): Promise<string> => wt.baseBranch ?? (await detectDefaultBranch(wt.path)) ?? 'main'

  return {
    async listBranches(wt) {
      const branches = await listTaskBranches({ worktree: wt.path, knownTaskIds: known() })
      return branches.map((b) => ({ name: b.name, taskId: b.taskId, isMerged: b.isMerged, lastCommit: b.lastCommit, lastCommitMessage: b.lastCommitMessage }))
    },
    async mergeStart(wt, sourceBranch) {
      const out = await startMerge({ worktree: wt.path, sourceBranch, recording: await recording(wt) })
      switch (out.kind) {
        case 'merged':
          return { kind: 'merged', commitSha: out.sha }
        case 'up-to-date':
          return { kind: 'merged', commitSha: null }
        case 'conflicts':
          return { kind: 'conflicts', files: out.files }
        case 'branch-missing':
          throw new Error(`Branch ${out.branch} does not exist`)
        case 'merge-in-progress':
          throw new Error('A merge is already in progress: commit or abort it first')
        case 'uncommitted-changes':
          throw new Error('The worktree has uncommitted changes: checkpoint them before merging')
        case 'refused':
          throw new Error(out.message)
      }
    },
    async mergeStatus(wt) {
      return getMergeStatus(wt.path)
    },
    async mergeResolve(wt, file, strategy) {
      const out = await resolveConflict({ worktree: wt.path, file, resolution: { kind: strategy } })
      if (out.kind === 'no-merge') throw new Error('No merge in progress')
      if (out.kind === 'not-conflicted') throw new Error(`${out.file} has no conflict to resolve`)
    },
    async mergeCommit(wt, message) {
      const out = await commitMerge({ worktree: wt.path, message, recording: await recording(wt) })
      if (out.kind === 'no-merge') throw new Error('No merge in progress')
      if (out.kind === 'unresolved') throw new Error(`Conflicts still unresolved in: ${out.files.join(', ')}`)
      return { commitSha: out.sha }
    },
    async mergeAbort(wt) {
      if ((await abortMerge(wt.path)).kind === 'no-merge') throw new Error('No merge in progress')
    },
    async mergeSkip(wt, subtaskId, reason) {
      await skipSubtask({ store: await JsonMergeRecordStore.forRepo(wt.path), orchestratorTaskId: wt.taskId, subtaskId, reason })
    },
    async checkMergeComplete(wt) {
      return checkMergeComplete({ worktree: wt.path, store: await JsonMergeRecordStore.forRepo(wt.path), orchestratorTaskId: wt.taskId, knownTaskIds: known() })
    },
    async retryCompletionAction(wt, args) {
      const targetRepo = resolve(expandTilde(args.targetRepoPath))
      const branch = worktreeNames('', wt.taskId, args.taskName).branch
      switch (args.action) {
        case 'branch': {
          const out = await pushToTargetRepo({ worktree: wt.path, targetRepo, branch, taskName: args.taskName })
          if (out.kind === 'target-missing') throw new Error(`Target repository ${out.targetRepo} not found`)
          if (out.kind === 'rejected') throw new Error(out.message)
          return { message: `Branch pushed to ${targetRepo}` }
        }
        case 'merge': {
          const targetBranch = args.targetBranch ?? (await detectDefaultBranch(targetRepo).catch(() => null)) ?? 'master'
          const out = await mergeToTargetRepo({ worktree: wt.path, targetRepo, branch, taskName: args.taskName, targetBranch, taskId: wt.taskId })
          switch (out.kind) {
            case 'merged':
            case 'up-to-date':
              return { message: `Merged into ${targetBranch}` }
            case 'conflicts':
              throw new Error(`Merge conflicts in: ${out.files.join(', ')}`)
            case 'target-missing':
              throw new Error('branch' in out ? `Branch ${out.branch} not found in ${out.targetRepo}` : `Target repository ${out.targetRepo} not found`)
            case 'rejected':
            case 'target-busy':
              throw new Error(out.message)
            case 'source-missing':
              throw new Error(`Branch ${out.branch} not found`)
          }
          throw new Error('unexpected merge outcome')
        }
        case 'pr': {
          const base = args.targetBranch ?? (await baseOf(wt))
          const body = `Automated PR from makima task.\n\nTask ID: \`${wt.taskId}\``
          const out = await createPullRequest({ worktree: wt.path, title: args.taskName, body, base, ghCommand: opts.ghCommand, env: opts.ghEnv })
          if (out.kind !== 'created') throw new Error(out.message)
          return { message: 'Pull request created', prUrl: out.url }
        }
        default:
          throw new Error(`Unknown completion action "${args.action}" (expected branch, merge or pr)`)
      }
    },
    async cloneWorktree(wt, targetDir) {
      const out = await cloneWorktreeToDirectory({ worktree: wt.path, targetDir })
      if (out.kind === 'target-exists') throw new Error(`Target directory ${out.targetDir} already exists and is not empty`)
      if (out.kind === 'apply-failed') throw new Error(`Cloned to ${out.targetDir}, but applying uncommitted changes failed: ${out.stderr.trim()}`)
      return { message: out.message, targetDir: out.targetDir }
    },
    async targetExists(targetDir) {
      return { exists: await targetDirectoryExists(targetDir), targetDir: resolve(expandTilde(targetDir)) }
    },
    async readRepoFile(repoPath, filePath) {
      const out = await readRepoFile({ repoPath, filePath })
      switch (out.kind) {
        case 'content':
          return { kind: 'ok', content: out.content }
        case 'not-found':
          return { kind: 'refused', reason: `File ${out.path} not found` }
        case 'outside-repo':
          return { kind: 'refused', reason: `File ${out.path} is outside the repository` }
        case 'not-a-file':
          return { kind: 'refused', reason: `${out.path} is not a file` }
        case 'too-large':
          return { kind: 'refused', reason: `File is ${out.size} bytes, over the ${out.maxBytes}-byte limit` }
      }
    },
    async createBranch(wt, branchName, fromRef) {
      const out = await createBranch({ worktree: wt.path, name: branchName, fromRef })
      if (out.kind === 'exists') throw new Error(`Branch ${out.branch} already exists`)
      if (out.kind === 'from-missing') throw new Error(`Starting point ${out.fromRef} not found`)
    },
    async mergeToTarget(wt, targetBranch, squash) {
      const target = targetBranch ?? (await baseOf(wt))
      const out = await mergeTaskToTarget({ worktree: wt.path, taskId: wt.taskId, targetBranch: target, squash })
      switch (out.kind) {
        case 'merged':
          return { kind: 'merged', commitSha: out.sha, message: `Merged ${out.sourceBranch} into ${out.targetBranch}` }
        case 'up-to-date':
          return { kind: 'merged', commitSha: out.sha, message: `${out.targetBranch} already contains ${out.sourceBranch}` }
        case 'conflicts':
          return { kind: 'conflicts', files: out.files }
        case 'detached-head':
          throw new Error('The worktree is on a detached HEAD: create a branch first')
        case 'same-branch':
          throw new Error(`The task is already on ${out.branch}`)
        case 'target-missing':
        case 'source-missing':
          throw new Error(`Branch ${out.branch} not found`)
        case 'target-busy':
          throw new Error(out.message)
      }
    },
    async createPR(wt, args) {
      // As the original: the server's default "main" yields to the task's own base branch.
      const base = args.baseBranch === 'main' && wt.baseBranch ? wt.baseBranch : args.baseBranch
      const out = await createPullRequest({ worktree: wt.path, title: args.title, body: args.body, base, ghCommand: opts.ghCommand, env: opts.ghEnv })
      if (out.kind !== 'created') throw new Error(out.message)
      return { prUrl: out.url, prNumber: out.number }
    },
    async taskDiff(wt) {
      const out = await getTaskDiff({ worktree: wt.path, baseBranch: await baseOf(wt) })
      if (out.kind === 'base-missing') throw new Error(`Base branch ${out.baseBranch} not found`)
      if (out.kind === 'too-large') throw new Error(`The diff is larger than ${out.limitBytes} bytes`)
      return out.kind === 'empty' ? '' : out.diff
    },
    async createCheckpoint(wt, message) {
      const out = await createCheckpoint({ worktree: wt.path, message, branch: wt.branch })
      if (out.kind === 'no-changes') return { kind: 'no-changes', branchName: wt.branch ?? (await currentBranch(wt.path)) ?? 'unknown' }
      if (out.kind === 'busy') throw new Error(`A ${out.operation} is in progress in the worktree: finish or abort it before a checkpoint`)
      return {
        kind: 'created',
        commitSha: out.sha,
        branchName: out.branch ?? 'unknown',
        filesChanged: out.files.map((f) => ({ action: ACTION_LETTER[f.action] ?? 'X', path: f.path })),
        linesAdded: out.linesAdded,
        linesRemoved: out.linesRemoved,
      }
    },
    async cleanupWorktree(wt, deleteBranch) {
      const out = await removeWorktree({ worktree: wt.path, deleteBranch })
      if (out.kind === 'not-found') return { message: 'No worktree found, task tracking cleaned up' }
      if (out.kind === 'not-a-worktree' || out.kind === 'busy') throw new Error(out.message)
      const notes = [out.wipCommitSha ? `uncommitted work saved as ${out.wipCommitSha.slice(0, 8)}` : null, out.branchKeptReason].filter(Boolean)
      return { message: `Worktree cleaned up: ${out.path}${notes.length ? ` (${notes.join('; ')})` : ''}` }
    },
    async inheritGitConfig(sourceDir) {
      const dir = resolve(expandTilde(sourceDir ?? opts.defaultSourceDir ?? process.cwd()))
      const identity = await readGitIdentity(dir)
      if (identity.name || identity.email) opts.onIdentity?.(identity)
      return { userEmail: identity.email, userName: identity.name }
    },
  }
}
