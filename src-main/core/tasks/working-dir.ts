// Choosing a task's working directory, in the original daemon's order (first match wins):
// 1. resumeSession and the task's worktree still exists → reuse it;
// 2. patchData + patchBaseSha + repoUrl → a worktree restored from the checkpoint patch
//    (on failure: a warning, then on down the list);
// 3. repoUrl: `new://[name]` → a new repository; otherwise clone/verify the repo, pick the base
//    branch (given or detected), then a worktree continued from another task's worktree
//    (continueFromTaskId; its patch as fallback) or a fresh one; the inherited identity applied;
// 4. no repo → a managed temp directory.
// A fresh worktree of a local or cloned repository is then prepared as the repository asks
// (worktree-setup.ts: gitignored files it lists, its setup script). Then copyFiles are copied from
// the parent task's worktree (paths kept inside both roots).
import type { GitIdentity, WorkspaceInfo, WorkspacePort } from './ports'
import type { SpawnTaskRequest } from './types'
import { prepareWorktree } from './worktree-setup'

export interface WorkingDirInput {
  req: SpawnTaskRequest
  workspace: WorkspacePort
  /** The task's directory recorded by an earlier run of the same task id. */
  recordedPath: string | null
  /** Where another task's worktree is (in-memory record first, then a scan). */
  worktreeOf(taskId: string): Promise<string | null>
  identity: GitIdentity | null
  notice(text: string): void
  /** True once an interrupt arrived; the selection stops between steps. */
  cancelled(): boolean
  /** Environment for the repository's setup script (default: this process's). */
  setupEnv?: Record<string, string | undefined>
}

export type WorkingDirResult =
  | { ok: true; dir: string; info: WorkspaceInfo | null; reusedExisting: boolean; isRepo: boolean }
  | { ok: false; message: string }

export async function selectWorkingDir(input: WorkingDirInput): Promise<WorkingDirResult> {
  const { req, workspace: ws, notice } = input
  const short = req.taskId.slice(0, 8)

  if (req.resumeSession) {
    const existing = req.repoUrl
      ? await ws.findWorktree(req.taskId, input.recordedPath)
      : input.recordedPath && (await ws.isIntact(input.recordedPath, false))
        ? input.recordedPath
        : null
    if (existing) {
      notice(`Resuming session in existing worktree: ${existing}`)
      return { ok: true, dir: existing, info: null, reusedExisting: true, isRepo: !!req.repoUrl }
    }
  }

  let chosen: WorkspaceInfo | null = null
  if (req.patchData && req.patchBaseSha && req.repoUrl) {
    notice('Restoring worktree from checkpoint patch...')
    const r = await ws.restoreFromPatch(req.repoUrl, req.taskId, req.taskName, req.patchBaseSha, req.patchData)
    if (r.ok) {
      notice(`Worktree restored at ${r.value.path}`)
      chosen = r.value
    } else {
      notice(`Warning: Failed to restore from patch (${r.message}), starting fresh`)
    }
  }
  if (input.cancelled()) return { ok: false, message: 'Interrupted during setup' }

  if (!chosen && req.repoUrl) {
    if (ws.isNewRepoRequest(req.repoUrl)) {
      notice('Initializing new git repository...')
      const r = await ws.initNewRepo(req.taskId, req.taskName, req.repoUrl)
      if (!r.ok) return { ok: false, message: `Setup failed: ${r.message}` }
      chosen = r.value
      await applyIdentity(ws, chosen.path, input.identity)
      notice(`Repository ready at ${chosen.path}`)
    } else {
      notice(`Setting up worktree from ${req.repoUrl}...`)
      const repo = await ws.ensureRepo(req.repoUrl, (line) => notice(line))
      if (!repo.ok) return { ok: false, message: `Setup failed: ${repo.message}` }
      if (input.cancelled()) return { ok: false, message: 'Interrupted during setup' }
      const branch = req.baseBranch ?? (await ws.defaultBranch(repo.value))
      if (req.continueFromTaskId) {
        const from = req.continueFromTaskId
        const source = await input.worktreeOf(from)
        if (source) {
          notice(`Continuing from task ${from.slice(0, 8)} worktree...`)
          const r = await ws.createWorktreeFromTask(source, req.taskId, req.taskName)
          if (!r.ok) return { ok: false, message: `Setup failed: ${r.message}` }
          chosen = r.value
        } else if (req.patchData && req.patchBaseSha) {
          notice('Source worktree unavailable, restoring from checkpoint patch...')
          const r = await ws.restoreFromPatch(req.repoUrl, req.taskId, req.taskName, req.patchBaseSha, req.patchData)
          if (!r.ok) return { ok: false, message: `Cannot continue from task ${from}: no worktree found (patch restore also failed: ${r.message})` }
          chosen = r.value
        } else {
          return { ok: false, message: `Cannot continue from task ${from}: no worktree found for it` }
        }
      } else {
        const r = await ws.createWorktree(repo.value, req.taskId, req.taskName, branch)
        if (!r.ok) return { ok: false, message: `Setup failed: ${r.message}` }
        chosen = r.value
        const ready = await prepareWorktree(repo.value, chosen.path, { copyFiles: (a, b, f) => ws.copyFiles(a, b, f), notice, env: input.setupEnv })
        if (!ready.ok) return { ok: false, message: `Setup failed: ${ready.message}` }
      }
      await applyIdentity(ws, chosen.path, input.identity)
      notice(`Worktree ready at ${chosen.path}`)
    }
  }

  let dir: string
  if (chosen) {
    dir = chosen.path
  } else {
    notice('Creating temporary working directory...')
    dir = await ws.createTempDir(req.taskId)
    notice(`Working directory ready at ${dir}`)
  }

  if (req.copyFiles?.length) {
    const parent = req.parentTaskId ? await input.worktreeOf(req.parentTaskId) : null
    if (!req.parentTaskId) notice('Warning: copyFiles given but the task has no parent; nothing copied')
    else if (!parent) notice(`Warning: could not find the worktree of parent task ${short}; nothing copied`)
    else {
      notice(`Copying ${req.copyFiles.length} files from orchestrator...`)
      for (const r of await ws.copyFiles(parent, dir, req.copyFiles)) {
        if (!r.ok) notice(`Warning: Could not copy ${r.path}: ${r.error ?? 'failed'}`)
      }
      notice('Files copied from orchestrator.')
    }
  }
  return { ok: true, dir, info: chosen, reusedExisting: false, isRepo: !!chosen }
}

async function applyIdentity(ws: WorkspacePort, dir: string, identity: GitIdentity | null): Promise<void> {
  if (identity && (identity.name || identity.email)) await ws.applyIdentity(dir, identity)
}
