// The real WorkspacePort: worktrees, clones, patches and checkpoints through the git engine;
// managed temp dirs for tasks without a repository; a content fingerprint for the circuit breaker.
import { createHash } from 'node:crypto'
import { lstat, mkdir, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import {
  applyGitIdentity, copyFilesBetweenWorktrees, createPullRequest, createWorktree, createWorktreeFromTask, detectDefaultBranch,
  ensureRepo, expandTilde, findTaskWorktree, heartbeatCommit, initNewRepo, isNewRepoRequest, mergeToTargetRepo,
  pushToTargetRepo, restoreFromPatch, runGit, worktreeNames, type WorktreeInfo, pathExists } from '../git'
import type {
  CompletionActionOutcome, CompletionActionRequest, GitIdentity, HeartbeatResult, WorkspaceInfo, WorkspacePort, WorkspaceResult,
} from './ports'

export interface GitWorkspaceOptions {
  worktreesDir: string
  reposDir: string
  /** Where tasks without a repository get their directory (`<dir>/<taskId>`). */
  tempDir: string
  checkpointPatches: { enabled: boolean; maxSizeBytes: number }
  /** The git engine's completion actions (branch / merge / pr), when available. */
  completionAction?: (req: CompletionActionRequest) => Promise<CompletionActionOutcome>
}

const info = (w: WorktreeInfo): WorkspaceInfo => ({ path: w.path, branch: w.branch, repoPath: w.repoPath, baseSha: w.baseSha })
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e))

export class GitWorkspace implements WorkspacePort {
  constructor(private readonly opts: GitWorkspaceOptions) {}

  findWorktree(taskId: string, recordedPath?: string | null): Promise<string | null> {
    return findTaskWorktree({ taskId, worktreesDir: this.opts.worktreesDir, recordedPath })
  }

  isNewRepoRequest(source: string): boolean {
    return isNewRepoRequest(source)
  }

  async initNewRepo(taskId: string, taskName: string, source: string): Promise<WorkspaceResult<WorkspaceInfo>> {
    try {
      const r = await initNewRepo({ source, worktreesDir: this.opts.worktreesDir, taskId, taskName })
      return r.kind === 'created' ? { ok: true, value: info(r.worktree) } : { ok: false, message: `Directory already exists: ${r.path}` }
    } catch (e) {
      return { ok: false, message: errText(e) }
    }
  }

  async ensureRepo(source: string, onProgress?: (line: string) => void): Promise<WorkspaceResult<string>> {
    try {
      const r = await ensureRepo({ source, reposDir: this.opts.reposDir, onProgress: onProgress && ((p) => onProgress(p.line)) })
      switch (r.kind) {
        case 'cloned':
        case 'existing-clone':
        case 'local':
          return { ok: true, value: r.path }
        case 'not-a-repo':
        case 'clone-failed':
        case 'invalid-source':
          return { ok: false, message: r.message }
      }
    } catch (e) {
      return { ok: false, message: errText(e) }
    }
  }

  async defaultBranch(repoPath: string): Promise<string> {
    return (await detectDefaultBranch(repoPath)) ?? 'HEAD'
  }

  async createWorktree(repoPath: string, taskId: string, taskName: string, baseBranch: string): Promise<WorkspaceResult<WorkspaceInfo>> {
    try {
      const r = await createWorktree({ repoPath, worktreesDir: this.opts.worktreesDir, taskId, name: taskName, baseRef: baseBranch })
      switch (r.kind) {
        case 'created':
          return { ok: true, value: info(r.worktree) }
        case 'target-exists':
          return { ok: false, message: `Worktree directory already exists: ${r.path}` }
        case 'base-missing':
          return { ok: false, message: `Base branch not found: ${r.ref}` }
        case 'branch-in-use':
          return { ok: false, message: `Branch ${r.branch} is checked out at ${r.path}` }
      }
    } catch (e) {
      return { ok: false, message: errText(e) }
    }
  }

  async createWorktreeFromTask(sourceWorktree: string, taskId: string, taskName: string): Promise<WorkspaceResult<WorkspaceInfo>> {
    try {
      const r = await createWorktreeFromTask({ sourceWorktree, worktreesDir: this.opts.worktreesDir, taskId, name: taskName })
      if (r.kind === 'created') return { ok: true, value: info(r.worktree) }
      return { ok: false, message: `Cannot create worktree from ${sourceWorktree}: ${r.kind}` }
    } catch (e) {
      return { ok: false, message: errText(e) }
    }
  }

  async restoreFromPatch(source: string, taskId: string, taskName: string, baseSha: string, patchData: string): Promise<WorkspaceResult<WorkspaceInfo>> {
    const repo = await this.ensureRepo(source)
    if (!repo.ok) return repo
    try {
      const r = await restoreFromPatch({ repoPath: repo.value, worktreesDir: this.opts.worktreesDir, taskId, name: taskName, baseSha, patchData })
      switch (r.kind) {
        case 'restored':
          return { ok: true, value: info(r.worktree) }
        case 'invalid-patch':
          return { ok: false, message: `Invalid patch: ${r.message}` }
        case 'base-missing':
          return { ok: false, message: `Patch base ${r.baseSha} not found in the repository` }
        case 'target-exists':
          return { ok: false, message: `Worktree directory already exists: ${r.path}` }
        case 'apply-failed':
          return { ok: false, message: `Patch did not apply: ${r.stderr.trim()}` }
      }
    } catch (e) {
      return { ok: false, message: errText(e) }
    }
  }

  async createTempDir(taskId: string): Promise<string> {
    const dir = join(this.opts.tempDir, taskId.replace(/[^0-9A-Za-z-]/g, ''))
    await mkdir(dir, { recursive: true })
    return dir
  }

  async copyFiles(fromRoot: string, toRoot: string, files: readonly string[]): Promise<{ path: string; ok: boolean; error?: string }[]> {
    return copyFilesBetweenWorktrees({ fromRoot, toRoot, files })
  }

  applyIdentity(dir: string, identity: GitIdentity): Promise<void> {
    return applyGitIdentity(dir, identity)
  }

  async fingerprint(dir: string): Promise<string> {
    const h = createHash('sha256')
    if (await pathExists(join(dir, '.git'))) {
      const git = (args: string[]) => runGit(args, { operation: 'fingerprint', cwd: dir, okExitCodes: [0, 128] })
      h.update((await git(['rev-parse', '--verify', '-q', 'HEAD'])).stdout)
      h.update((await git(['diff', 'HEAD', '--binary', '--no-ext-diff', '--no-color'])).stdoutBuffer)
      for (const p of (await git(['ls-files', '--others', '--exclude-standard', '-z'])).stdout.split('\0').filter(Boolean)) {
        h.update(p)
        h.update(await statKey(join(dir, p)))
      }
    } else {
      await walk(dir, '', h, { left: 20_000 })
    }
    return h.digest('hex')
  }

  async isIntact(dir: string, expectGit: boolean): Promise<boolean> {
    return (await pathExists(dir)) && (!expectGit || (await pathExists(join(dir, '.git'))))
  }

  async heartbeat(taskId: string, worktree: string): Promise<HeartbeatResult> {
    const r = await heartbeatCommit({
      worktree,
      patch: { enabled: this.opts.checkpointPatches.enabled, maxBytes: this.opts.checkpointPatches.maxSizeBytes },
    })
    // 'busy': a merge or rebase is stopped in the worktree; a safety commit waits for the next tick.
    if (r.kind !== 'committed') return { kind: 'clean' }
    const patch = r.patch?.kind === 'patch' ? r.patch.patch : undefined
    return {
      kind: 'committed',
      sha: r.sha,
      pushed: r.pushed,
      checkpoint: {
        taskId,
        success: true,
        commitSha: r.sha,
        ...(r.branch ? { branchName: r.branch } : {}),
        message: r.message,
        ...(patch ? { patchData: patch.data, patchBaseSha: patch.baseSha, patchFilesCount: patch.filesCount } : {}),
      },
    }
  }

  async completionAction(req: CompletionActionRequest): Promise<CompletionActionOutcome> {
    try {
      return await (this.opts.completionAction ?? defaultCompletionAction)(req)
    } catch (e) {
      return { ok: false, message: errText(e) }
    }
  }
}

/**
 * The original's completion actions. The branch is `makima/<sanitized name>-<short id>`; the
 * target branch is the given one, else the target repo's (or worktree's) default, else master.
 * Without a target repo only `pr` runs (through the worktree's origin).
 */
async function defaultCompletionAction(req: CompletionActionRequest): Promise<CompletionActionOutcome> {
  const target = req.targetRepoPath ? expandTilde(req.targetRepoPath) : null
  if (!target && req.action !== 'pr') return { ok: false, message: `No target repository configured for the '${req.action}' action` }
  const branch = worktreeNames('/', req.taskId, req.taskName).branch
  const targetBranch = req.targetBranch ?? (await detectDefaultBranch(target ?? req.worktreePath).catch(() => null)) ?? 'master'
  switch (req.action) {
    case 'branch': {
      const r = await pushToTargetRepo({ worktree: req.worktreePath, targetRepo: target!, branch, taskName: req.taskName })
      if (r.kind === 'pushed') return { ok: true, message: `Branch '${branch}' pushed to ${r.targetRepo}` }
      return { ok: false, message: r.kind === 'target-missing' ? `Target repo not found: ${r.targetRepo}` : `Push rejected: ${r.message}` }
    }
    case 'merge': {
      const r = await mergeToTargetRepo({ worktree: req.worktreePath, targetRepo: target!, branch, taskName: req.taskName, targetBranch, taskId: req.taskId })
      switch (r.kind) {
        case 'merged':
        case 'up-to-date':
          return { ok: true, message: `Branch merged into ${targetBranch} (commit: ${r.sha})` }
        case 'conflicts':
          return { ok: false, message: `Merge into ${targetBranch} has conflicts: ${r.files.join(', ')}` }
        case 'target-missing':
          return { ok: false, message: `Target repo not found: ${r.targetRepo}` }
        case 'source-missing':
          return { ok: false, message: `Branch not found: ${r.branch}` }
        case 'target-busy':
          return { ok: false, message: r.message }
        case 'rejected':
          return { ok: false, message: `Push rejected: ${r.message}` }
      }
      return { ok: false, message: 'Merge failed' }
    }
    case 'pr': {
      const r = await createPullRequest({
        worktree: req.worktreePath, title: req.taskName, base: targetBranch,
        body: `Automated PR from makima task.\n\nTask ID: \`${req.taskId}\``,
      })
      return r.kind === 'created' ? { ok: true, message: `Pull request created: ${r.url}`, prUrl: r.url } : { ok: false, message: r.message }
    }
  }
}


async function statKey(p: string): Promise<string> {
  try {
    const s = await stat(p)
    return `:${s.size}:${s.mtimeMs}`
  } catch {
    return ':gone'
  }
}

async function walk(root: string, rel: string, h: ReturnType<typeof createHash>, budget: { left: number }): Promise<void> {
  let names: string[]
  try {
    names = (await readdir(join(root, rel))).sort()
  } catch {
    return
  }
  for (const name of names) {
    if (budget.left-- <= 0) return
    const r = rel ? `${rel}/${name}` : name
    const s = await lstat(join(root, r)).catch(() => null)
    if (!s) continue
    h.update(`${r}:${s.size}:${s.mtimeMs}\n`)
    if (s.isDirectory()) await walk(root, r, h, budget)
  }
}
