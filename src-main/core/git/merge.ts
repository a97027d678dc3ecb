// The interactive merge engine, in one worktree: start a merge of a task branch, read its state,
// commit or abort it. A merge that commits (clean, or after resolution) is recorded as merged for
// the orchestrator, which the original never did.
import { readFile } from 'node:fs/promises'
import { commitStaged, fallbackIdentityEnv } from './commit'
import { gitPath, isDirty, resolveCommit } from './inspect'
import type { MergeRecordStore } from './merge-records'
import { assertRefName, taskIdFromBranch } from './refs'
import { gitText, runGit } from './run'

/** Who to credit a commit to: the orchestrator whose worktree merges, and its store. */
export interface MergeRecording {
  store: MergeRecordStore
  orchestratorTaskId: string
  knownTaskIds?: readonly string[]
}

export type StartMergeOutcome =
  | { kind: 'merged'; sha: string }
  | { kind: 'up-to-date' }
  | { kind: 'conflicts'; files: string[] }
  | { kind: 'branch-missing'; branch: string }
  | { kind: 'merge-in-progress' }
  | { kind: 'uncommitted-changes' }
  | { kind: 'refused'; message: string }

export async function unmergedFiles(cwd: string): Promise<string[]> {
  const out = (await runGit(['diff', '--name-only', '--diff-filter=U', '-z'], { operation: 'merge status', cwd })).stdout
  return [...new Set(out.split('\0').filter(Boolean))]
}

export async function mergeInProgress(cwd: string): Promise<boolean> {
  return (await resolveCommit(cwd, 'MERGE_HEAD')) !== null
}

async function record(rec: MergeRecording | undefined, branch: string, sha: string): Promise<void> {
  if (!rec) return
  const id = taskIdFromBranch(branch, rec.knownTaskIds)
  await rec.store.markMerged(rec.orchestratorTaskId, { branch, taskId: id?.taskId ?? null, sha, at: new Date().toISOString() })
}

export async function startMerge(input: { worktree: string; sourceBranch: string; recording?: MergeRecording }): Promise<StartMergeOutcome> {
  const cwd = input.worktree
  const branch = assertRefName(input.sourceBranch)
  if (await mergeInProgress(cwd)) return { kind: 'merge-in-progress' }
  if (!(await resolveCommit(cwd, `refs/heads/${branch}`))) return { kind: 'branch-missing', branch }
  // Aborting a merge on top of uncommitted work can lose that work: refuse instead.
  if (await isDirty(cwd)) return { kind: 'uncommitted-changes' }
  const before = await gitText(['rev-parse', 'HEAD'], { operation: 'merge', cwd })
  const r = await runGit(['merge', '--no-ff', '--no-edit', '-m', `Merge branch '${branch}'`, `refs/heads/${branch}`], {
    operation: 'merge',
    cwd,
    okExitCodes: [0, 1, 2, 128],
    timeoutMs: 300_000,
    // The merge commit goes through the identity fallback when none is configured.
    env: await fallbackIdentityEnv(cwd),
  })
  if (r.exitCode === 0) {
    const sha = await gitText(['rev-parse', 'HEAD'], { operation: 'merge', cwd })
    if (sha === before) return { kind: 'up-to-date' }
    await record(input.recording, branch, sha)
    return { kind: 'merged', sha }
  }
  const files = await unmergedFiles(cwd)
  if (files.length > 0) return { kind: 'conflicts', files }
  return { kind: 'refused', message: (r.stderr || r.stdout).trim() }
}

export interface MergeStatus {
  inProgress: boolean
  sourceBranch: string | null
  conflictedFiles: string[]
}

export async function getMergeStatus(worktree: string): Promise<MergeStatus> {
  const cwd = worktree
  if (!(await mergeInProgress(cwd))) return { inProgress: false, sourceBranch: null, conflictedFiles: [] }
  let source: string | null = null
  try {
    const msg = await readFile(await gitPath(cwd, 'MERGE_MSG'), 'utf8')
    source = /^Merge (?:remote-tracking )?branch '([^']+)'/.exec(msg)?.[1] ?? null
  } catch {
    /* no message: fall back to the branch pointing at MERGE_HEAD */
  }
  if (!source) {
    const out = await gitText(['for-each-ref', '--points-at=MERGE_HEAD', '--format=%(refname:short)', 'refs/heads/'], { operation: 'merge status', cwd })
    source = out.split('\n').find(Boolean) ?? null
  }
  return { inProgress: true, sourceBranch: source, conflictedFiles: await unmergedFiles(cwd) }
}

export type CommitMergeOutcome =
  | { kind: 'committed'; sha: string; sourceBranch: string | null }
  | { kind: 'unresolved'; files: string[] }
  | { kind: 'no-merge' }

export async function commitMerge(input: { worktree: string; message: string; recording?: MergeRecording }): Promise<CommitMergeOutcome> {
  const status = await getMergeStatus(input.worktree)
  if (!status.inProgress) return { kind: 'no-merge' }
  if (status.conflictedFiles.length > 0) return { kind: 'unresolved', files: status.conflictedFiles }
  const sha = await commitStaged(input.worktree, input.message, 'merge commit')
  if (status.sourceBranch) await record(input.recording, status.sourceBranch, sha)
  return { kind: 'committed', sha, sourceBranch: status.sourceBranch }
}

export async function abortMerge(worktree: string): Promise<{ kind: 'aborted' } | { kind: 'no-merge' }> {
  if (!(await mergeInProgress(worktree))) return { kind: 'no-merge' }
  await runGit(['merge', '--abort'], { operation: 'merge abort', cwd: worktree })
  return { kind: 'aborted' }
}
