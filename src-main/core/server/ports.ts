// The narrow interfaces the server link needs from the rest of the core. The task engine, the git
// engine and the login flow do not import this file (tasks must not point at server/); start.ts
// adapts them. Expected outcomes are values; a thrown error means "unexpected" and is answered
// as a failure with its (redacted) message.
import type { CommandOf, MessageOf } from './protocol'

export type SpawnTaskCommand = CommandOf<'spawnTask'>

/** Messages the task engine produces for the server, in PROTOCOL.md shapes. */
export type TaskEngineMessage = MessageOf<
  | 'taskOutput'
  | 'taskStatusChange'
  | 'taskProgress'
  | 'taskComplete'
  | 'taskRecoveryDetected'
  | 'registerToolKey'
  | 'revokeToolKey'
  | 'authenticationRequired'
>

export type SpawnOutcome =
  /** Accepted: the task now runs on its own; its messages come through onMessages. */
  | { kind: 'accepted' }
  /** Refused before it started (already active, concurrency limit, invalid fields, relay-only…).
   * `reason` is shown to a person: say what to do about it. */
  | { kind: 'refused'; reason: string }

export type ControlOutcome =
  | { kind: 'ok' }
  | { kind: 'not-found' }
  /** The task exists but cannot do this now (e.g. pause a completed task). */
  | { kind: 'refused'; reason: string }

/** Where a task's work lives, for git commands. */
export interface TaskWorktree {
  taskId: string
  path: string
  branch?: string | null
  baseBranch?: string | null
}

export type WorktreeLookup =
  | { kind: 'found'; worktree: TaskWorktree }
  | { kind: 'no-worktree' }
  | { kind: 'not-found' }

export interface TaskEnginePort {
  /** Resolves as soon as the task is accepted or refused, never when it ends. */
  spawn(cmd: SpawnTaskCommand): Promise<SpawnOutcome>
  pause(taskId: string): Promise<ControlOutcome>
  resume(taskId: string): Promise<ControlOutcome>
  interrupt(taskId: string, graceful: boolean): Promise<ControlOutcome>
  /** A message for the task's agent (a paused task is resumed first; a supervisor is respawned). */
  sendMessage(taskId: string, message: string): Promise<ControlOutcome>
  /** Ids of tasks in an active state (initializing, starting, running, paused), for heartbeats. */
  activeTaskIds(): readonly string[]
  /** The task's worktree: its record first, then the worktrees-directory scan. */
  worktreeOf(taskId: string): Promise<WorktreeLookup>
  /** Forget a task after its worktree was cleaned up (the original drops its in-memory state). */
  forget?(taskId: string): void
  /** Every agent: SIGTERM, then SIGKILL after graceMs. */
  stopAll(graceMs: number): Promise<void>
  /** The task's live tool key: the outbox stores only a reference and reads the key at send time. */
  toolKey?(taskId: string): string | undefined
  /** Messages for the server, in order, possibly batched. Returns the unsubscribe function. */
  onMessages(listener: (messages: readonly TaskEngineMessage[]) => void): () => void
}

export interface BranchInfo {
  name: string
  taskId?: string | null
  isMerged: boolean
  lastCommit: string
  lastCommitMessage: string
}

export type MergeOutcome = { kind: 'merged'; commitSha?: string | null } | { kind: 'conflicts'; files: string[] }

export interface CheckpointOutcomeCreated {
  kind: 'created'
  commitSha: string
  branchName: string
  filesChanged: { action: string; path: string }[]
  linesAdded: number
  linesRemoved: number
}
export type CheckpointOutcome = CheckpointOutcomeCreated | { kind: 'no-changes'; branchName: string }

export type ReadFileOutcome = { kind: 'ok'; content: string } | { kind: 'refused'; reason: string }

export interface GitPort {
  listBranches(wt: TaskWorktree): Promise<BranchInfo[]>
  mergeStart(wt: TaskWorktree, sourceBranch: string): Promise<MergeOutcome>
  mergeStatus(wt: TaskWorktree): Promise<{ inProgress: boolean; sourceBranch?: string | null; conflictedFiles: string[] }>
  mergeResolve(wt: TaskWorktree, file: string, strategy: 'ours' | 'theirs'): Promise<void>
  /** Returns the merge commit's sha; records merged subtasks. */
  mergeCommit(wt: TaskWorktree, message: string): Promise<{ commitSha: string }>
  mergeAbort(wt: TaskWorktree): Promise<void>
  mergeSkip(wt: TaskWorktree, subtaskId: string, reason: string): Promise<void>
  checkMergeComplete(wt: TaskWorktree): Promise<{ canComplete: boolean; unmergedBranches: string[]; mergedCount: number; skippedCount: number }>
  /** Runs a completion action again ("branch" · "merge" · "pr"). */
  retryCompletionAction(
    wt: TaskWorktree,
    args: { taskName: string; action: string; targetRepoPath: string; targetBranch?: string | null },
  ): Promise<{ message: string; prUrl?: string | null }>
  cloneWorktree(wt: TaskWorktree, targetDir: string): Promise<{ message: string; targetDir: string }>
  /** `targetDir` comes back resolved (tilde expanded). */
  targetExists(targetDir: string): Promise<{ exists: boolean; targetDir: string }>
  /** Reads only inside repoPath, at most 8 MiB. */
  readRepoFile(repoPath: string, filePath: string): Promise<ReadFileOutcome>
  createBranch(wt: TaskWorktree, branchName: string, fromRef?: string | null): Promise<void>
  mergeToTarget(wt: TaskWorktree, targetBranch: string | null | undefined, squash: boolean): Promise<
    { kind: 'merged'; commitSha: string; message: string } | { kind: 'conflicts'; files: string[] }
  >
  createPR(wt: TaskWorktree, args: { title: string; body?: string | null; baseBranch: string }): Promise<{ prUrl?: string | null; prNumber?: number | null }>
  taskDiff(wt: TaskWorktree): Promise<string>
  createCheckpoint(wt: TaskWorktree, message: string): Promise<CheckpointOutcome>
  /** Removes the worktree (and its branch when asked); refuses to lose uncommitted work. */
  cleanupWorktree(wt: TaskWorktree, deleteBranch: boolean): Promise<{ message: string }>
  inheritGitConfig(sourceDir?: string | null): Promise<{ userEmail?: string | null; userName?: string | null }>
}

export type SubmitCodeOutcome = { kind: 'accepted' } | { kind: 'no-pending-login' }

export interface LoginPort {
  /** The OAuth code for the pending `setup-token` login. */
  submitCode(code: string): Promise<SubmitCodeOutcome>
}

export interface ProcessPort {
  /** Ends the process with this code after the core has stopped (42 = restart requested). The core
   * never calls process.exit itself. */
  exit(code: number): void
}
