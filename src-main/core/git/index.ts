// The git engine's public API. Every operation takes explicit inputs (paths, ids, names) and
// keeps no global state. Expected outcomes come back as `{ kind: … }` values; unexpected failures
// throw GitError (operation, args, stderr), InvalidRefError, PathEscapeError or CommandNotFoundError.
export { runGit, gitText, gitEnv, GitError, CommandNotFoundError, DEFAULT_GIT_TIMEOUT_MS } from './run'
export type { RunOptions, RunResult } from './run'
export {
  refNameProblem, assertRefName, assertRevision, InvalidRefError, sanitizeName, shortId, worktreeNames, taskIdFromBranch, isFullSha,
} from './refs'
export type { WorktreeNames } from './refs'
export { expandTilde, resolveInside, isInside, pathExists, PathEscapeError } from './paths'
export {
  commonGitDir, headSha, currentBranch, isDirty, branchExists, listWorktrees, worktreeWithBranch, mainWorktree, resolveCommit, operationInProgress,
} from './inspect'
export type { WorktreeEntry } from './inspect'

// Repositories
export { ensureRepo, isRemoteUrl, cloneDirName, parseCloneProgress } from './ensure-repo'
export type { EnsureRepoInput, EnsureRepoOutcome, CloneProgress } from './ensure-repo'
export { detectDefaultBranch } from './default-branch'
export { initNewRepo, isNewRepoRequest, newRepoName } from './init-repo'
export type { InitNewRepoInput, InitNewRepoOutcome } from './init-repo'

// Worktrees
export { createWorktree, pruneWorktrees } from './worktree-add'
export type { WorktreeInfo, CreateWorktreeInput, CreateWorktreeOutcome } from './worktree-add'
export { createWorktreeFromTask } from './worktree-from-task'
export type { CreateWorktreeFromTaskInput, CreateWorktreeFromTaskOutcome } from './worktree-from-task'
export { restoreFromPatch } from './worktree-restore'
export type { RestoreFromPatchInput, RestoreFromPatchOutcome } from './worktree-restore'
export { copyFilesBetweenWorktrees } from './copy-files'
export type { CopyFilesInput, CopyFileResult } from './copy-files'
export { readGitIdentity, applyGitIdentity } from './identity'
export type { GitIdentity } from './identity'
export { findTaskWorktree } from './find-worktree'
export type { FindWorktreeInput } from './find-worktree'
export { removeWorktree } from './worktree-remove'
export type { RemoveWorktreeInput, RemoveWorktreeOutcome } from './worktree-remove'

// Checkpoints and patches
export { heartbeatCommit, createCheckpoint, hasRemote, parseNameStatus, sumNumstat } from './checkpoint'
export type { HeartbeatInput, HeartbeatOutcome, CheckpointOutcome, CheckpointFile, FileAction } from './checkpoint'
export {
  createCheckpointPatch, decodeCheckpointPatch, applyPatch, diffWorkingTree, InvalidPatchError, DEFAULT_MAX_PATCH_BYTES,
} from './patch'
export type { CheckpointPatch, PatchOutcome, WorkingDiff } from './patch'

// Merge engine
export { listLocalBranches, listTaskBranches } from './branches'
export type { TaskBranch, ListTaskBranchesInput } from './branches'
export { startMerge, getMergeStatus, commitMerge, abortMerge, unmergedFiles, mergeInProgress } from './merge'
export type { StartMergeOutcome, MergeStatus, CommitMergeOutcome, MergeRecording } from './merge'
export { getConflictVersions, resolveConflict, parseResolutionStrategy, MAX_CONFLICT_SIDE_BYTES } from './resolve-conflict'
export type { ConflictSide, ConflictVersions, ConflictVersionsOutcome, ConflictResolution, ResolveConflictOutcome } from './resolve-conflict'
export { JsonMergeRecordStore } from './merge-records'
export type { MergeRecordStore, MergeRecord, MergedEntry, SkippedEntry } from './merge-records'
export { skipSubtask, checkMergeComplete } from './merge-complete'
export type { MergeCompleteCheck } from './merge-complete'

// Delivery
export { mergeBranchInto } from './merge-into'
export type { MergeIntoInput, MergeIntoOutcome } from './merge-into'
export { mergeTaskToTarget } from './merge-to-target'
export type { MergeTaskToTargetInput, MergeTaskToTargetOutcome } from './merge-to-target'
export { createBranch } from './branch-create'
export type { CreateBranchOutcome } from './branch-create'
export { pushToTargetRepo, mergeToTargetRepo } from './push-target'
export type { PushToTargetInput, PushToTargetOutcome, MergeToTargetRepoOutcome } from './push-target'
export { createPullRequest, parsePrUrl } from './pull-request'
export type { CreatePullRequestInput, CreatePullRequestOutcome } from './pull-request'
export { getTaskDiff } from './task-diff'
export type { TaskDiffOutcome } from './task-diff'
export { cloneWorktreeToDirectory, targetDirectoryExists } from './clone-worktree'
export type { CloneWorktreeOutcome } from './clone-worktree'
export { readRepoFile, MAX_REPO_FILE_BYTES } from './read-repo-file'
export type { ReadRepoFileOutcome } from './read-repo-file'

// Per-commit view of a task's branch
export { findForkPoint } from './fork-point'
export type { ForkPoint } from './fork-point'
export { listBranchCommits, MAX_BRANCH_COMMITS } from './branch-commits'
export type { BranchCommit, BranchCommitsOutcome } from './branch-commits'
export { getCommitDiff } from './commit-diff'
export type { CommitDiffOutcome } from './commit-diff'
export { startRebase, continueRebase, abortRebase, rebaseInProgress, rebaseOnto } from './rebase'
export type { RebaseOutcome } from './rebase'
