// Checkpoints. Heartbeat: a WIP commit of everything (skipped when clean), pushed only when an
// `origin` exists and never fatal, plus the checkpoint patch of PROTOCOL.md. Manual: a commit
// with line counts and the `[{action, path}]` list taken from the staged diff.
import { commitAll, commitStaged, utcStamp } from './commit'
import { currentBranch, headSha, isDirty, operationInProgress, resolveCommit } from './inspect'
import { createCheckpointPatch, DEFAULT_MAX_PATCH_BYTES, type PatchOutcome } from './patch'
import { assertRevision } from './refs'
import { gitText, runGit } from './run'

export interface HeartbeatInput {
  worktree: string
  now?: Date
  /** Push to origin when it exists (default true). */
  push?: boolean
  patch?: {
    enabled: boolean
    maxBytes?: number
    /**
     * Base of the patch. Default: the commit before this heartbeat (the original's choice).
     * Give the task's base branch to get a patch holding all of the task's work, restorable
     * anywhere that base exists.
     */
    baseRef?: string
  }
  pushTimeoutMs?: number
}

export type HeartbeatOutcome =
  | { kind: 'clean' }
  | { kind: 'busy'; operation: 'merge' | 'rebase' | 'cherry-pick' | 'revert' }
  | {
      kind: 'committed'
      sha: string
      parentSha: string
      branch: string | null
      message: string
      pushed: boolean
      pushError: string | null
      patch: PatchOutcome | null
    }

export async function hasRemote(cwd: string, name = 'origin'): Promise<boolean> {
  const out = (await runGit(['remote'], { operation: 'remote', cwd })).stdout
  return out.split('\n').includes(name)
}

export async function heartbeatCommit(input: HeartbeatInput): Promise<HeartbeatOutcome> {
  const cwd = input.worktree
  if (!(await isDirty(cwd))) return { kind: 'clean' }
  const busy = await operationInProgress(cwd)
  if (busy) return { kind: 'busy', operation: busy }
  const parentSha = await headSha(cwd)
  const message = `[WIP] Heartbeat checkpoint - ${utcStamp(input.now ?? new Date())}`
  const sha = await commitAll(cwd, message, 'heartbeat')
  if (!sha) return { kind: 'clean' }
  const branch = await currentBranch(cwd)
  let pushed = false
  let pushError: string | null = null
  if ((input.push ?? true) && (await hasRemote(cwd))) {
    const r = await runGit(['push', '--quiet', '-u', 'origin', 'HEAD'], {
      operation: 'push',
      cwd,
      okExitCodes: [0, 1, 128],
      timeoutMs: input.pushTimeoutMs ?? 60_000,
    }).catch((e: Error) => ({ exitCode: -1, stderr: e.message }))
    pushed = r.exitCode === 0
    if (!pushed) pushError = r.stderr.trim() || `exit ${r.exitCode}`
  }
  let patch: PatchOutcome | null = null
  if (input.patch?.enabled) {
    let base = parentSha
    if (input.patch.baseRef) {
      const ref = (await resolveCommit(cwd, assertRevision(input.patch.baseRef))) ?? (await resolveCommit(cwd, `origin/${input.patch.baseRef}`))
      if (ref) base = await gitText(['merge-base', 'HEAD', ref], { operation: 'merge-base', cwd })
    }
    patch = await createCheckpointPatch(cwd, base, input.patch.maxBytes ?? DEFAULT_MAX_PATCH_BYTES)
  }
  return { kind: 'committed', sha, parentSha, branch, message, pushed, pushError, patch }
}

export type FileAction = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed' | 'unknown'

export interface CheckpointFile {
  action: FileAction
  path: string
  oldPath?: string
}

export type CheckpointOutcome =
  | { kind: 'no-changes' }
  | { kind: 'busy'; operation: 'merge' | 'rebase' | 'cherry-pick' | 'revert' }
  | { kind: 'created'; sha: string; branch: string | null; message: string; linesAdded: number; linesRemoved: number; files: CheckpointFile[] }

const ACTIONS: Record<string, FileAction> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'copied', T: 'type-changed' }

/** Parse `git diff --name-status -z` output. */
export function parseNameStatus(z: string): CheckpointFile[] {
  const parts = z.split('\0').filter((p) => p.length > 0)
  const files: CheckpointFile[] = []
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++]
    const action = ACTIONS[code[0]] ?? 'unknown'
    if (action === 'renamed' || action === 'copied') {
      const oldPath = parts[i++]
      files.push({ action, path: parts[i++], oldPath })
    } else {
      files.push({ action, path: parts[i++] })
    }
  }
  return files
}

/** Sum `git diff --numstat` (binary files count as 0 lines). */
export function sumNumstat(out: string): { added: number; removed: number } {
  let added = 0
  let removed = 0
  for (const line of out.split('\n')) {
    const [a, r] = line.split('\t')
    if (/^\d+$/.test(a ?? '')) added += Number(a)
    if (/^\d+$/.test(r ?? '')) removed += Number(r)
  }
  return { added, removed }
}

export async function createCheckpoint(input: { worktree: string; message: string; branch?: string | null }): Promise<CheckpointOutcome> {
  const cwd = input.worktree
  if (!(await isDirty(cwd))) return { kind: 'no-changes' }
  const busy = await operationInProgress(cwd)
  if (busy) return { kind: 'busy', operation: busy }
  await runGit(['add', '-A'], { operation: 'checkpoint', cwd })
  const numstat = (await runGit(['diff', '--cached', '--numstat', '-M'], { operation: 'checkpoint', cwd })).stdout
  const nameStatus = (await runGit(['diff', '--cached', '--name-status', '-M', '-z'], { operation: 'checkpoint', cwd })).stdout
  const sha = await commitStaged(cwd, input.message, 'checkpoint')
  const { added, removed } = sumNumstat(numstat)
  return {
    kind: 'created',
    sha,
    branch: input.branch ?? (await currentBranch(cwd)),
    message: input.message,
    linesAdded: added,
    linesRemoved: removed,
    files: parseNameStatus(nameStatus),
  }
}
