// The narrow interfaces the task manager needs from the layers below it. The manager depends only
// on these; start.ts passes the real adapters (agent-port.ts, workspace.ts, output-log.ts) and
// unit tests pass in-memory fakes.
import type { AgentAdapter, AgentEvent } from '../agents/adapters/types'
import type { ClassifiedLine } from '../agents/classify'
import type { CheckpointCreated } from './types'

// ── Agent ──────────────────────────────────────────────────────────────────────────────────────

export interface AgentLaunch {
  taskId: string
  /** Which agent CLI (claude when absent). */
  /** A built-in agent or a custom one's name (claude when absent). */
  agent?: string
  cwd: string
  /** The agent's whole environment (the manager has merged base env, task env and PATH). */
  env: Record<string, string>
  systemPrompt: string
  /** `--resume <id>`: continue this stored session. */
  resumeSessionId?: string
  /** Written to stdin as the first user message. */
  firstMessage: string
}

export interface AgentExitInfo {
  code: number | null
  signal: string | null
  spawnError?: string
  stoppedBy?: 'interrupt' | 'hang-after-result' | 'stop'
  beforeOutput: boolean
}

export interface AgentRunHandle {
  readonly pid: number | undefined
  readonly exited: Promise<AgentExitInfo>
  /** A user message on stdin; false when stdin is closed (the turn's result has been seen). */
  send(text: string): boolean
  /** Stop / continue the agent and every descendant (its group, and tools in sessions of their own). */
  pause(): boolean
  resume(): boolean
  /** SIGTERM to the whole tree, SIGKILL after the grace period; resolves once none of it is left. */
  stop(): Promise<AgentExitInfo>
  timings(): { spawnedAt: number; firstOutputMs?: number }
}

export type VersionCheckResult = { ok: true; version: string } | { ok: false; reason: string }

/** A printed line and what it means as common events (empty for our own notices). */
export type LineListener = (line: ClassifiedLine, events: AgentEvent[]) => void

export interface AgentPort {
  checkVersion(agent?: string): Promise<VersionCheckResult>
  /** The adapter a task's agent runs with (a custom agent: its dialect's, under its own name). */
  adapterOf?(agent: string | undefined): AgentAdapter | undefined
  /** Starts the agent. Every line it prints is persisted as task output by the port and handed
   * to `onLine` (after persistence is queued, so the order in the store is the printed order). */
  launch(spec: AgentLaunch, onLine: LineListener): Promise<AgentRunHandle>
}

// ── Output ─────────────────────────────────────────────────────────────────────────────────────

export interface PersistedLine {
  seq: number
  kind: string
  data: string
  /**
   * The agent layer's events for this line, when they were read from exactly this text (redaction
   * changed nothing): the transcript reuses them instead of parsing the line again. Never sent.
   */
  parsed?: readonly AgentEvent[]
}

export interface OutputPort {
  /** A line of our own (progress, warnings) in the task's output, in order with agent lines. */
  notice(taskId: string, text: string): void
  /** The user's own words (the plan, a follow-up) as a user turn of the transcript. */
  userTurn(taskId: string, text: string): void
  /** Batches of persisted lines, per task. Returns the unsubscribe function. */
  onBatch(listener: (taskId: string, lines: PersistedLine[]) => void): () => void
  /** Resolves once everything queued so far is persisted. */
  flush(): Promise<void>
}

// ── Workspace (git engine + temp dirs) ────────────────────────────────────────────────────────

export interface WorkspaceInfo {
  path: string
  branch: string | null
  /** The repository the worktree belongs to (for completion actions), null for temp dirs. */
  repoPath: string | null
  baseSha: string | null
}

export type WorkspaceResult<T> = { ok: true; value: T } | { ok: false; message: string }

export interface GitIdentity {
  name: string | null
  email: string | null
}

export interface CompletionActionRequest {
  taskId: string
  taskName: string
  action: 'branch' | 'merge' | 'pr'
  worktreePath: string
  targetRepoPath?: string
  targetBranch?: string
  baseBranch?: string
}

export type CompletionActionOutcome = { ok: true; message: string; prUrl?: string } | { ok: false; message: string }

export interface HeartbeatResult {
  kind: 'committed' | 'clean'
  sha?: string
  pushed?: boolean
  /** The checkpointCreated message to emit (without `type`), when committed. */
  checkpoint?: Omit<CheckpointCreated, 'type'>
}

export interface WorkspacePort {
  /** The task's worktree: the recorded path if it is still a worktree, else a scan by short id. */
  findWorktree(taskId: string, recordedPath?: string | null): Promise<string | null>
  /** `new://` or `new://<name>`. */
  isNewRepoRequest(source: string): boolean
  initNewRepo(taskId: string, taskName: string, source: string): Promise<WorkspaceResult<WorkspaceInfo>>
  /** Clone a URL (or reuse its clone), or check a local repository. */
  ensureRepo(source: string, onProgress?: (line: string) => void): Promise<WorkspaceResult<string>>
  defaultBranch(repoPath: string): Promise<string>
  createWorktree(repoPath: string, taskId: string, taskName: string, baseBranch: string): Promise<WorkspaceResult<WorkspaceInfo>>
  createWorktreeFromTask(sourceWorktree: string, taskId: string, taskName: string): Promise<WorkspaceResult<WorkspaceInfo>>
  restoreFromPatch(source: string, taskId: string, taskName: string, baseSha: string, patchData: string): Promise<WorkspaceResult<WorkspaceInfo>>
  /** A managed directory for a task without a repository. */
  createTempDir(taskId: string): Promise<string>
  /** Copies files between worktrees (paths kept inside both); per-file results. */
  copyFiles(fromRoot: string, toRoot: string, files: readonly string[]): Promise<{ path: string; ok: boolean; error?: string }[]>
  applyIdentity(dir: string, identity: GitIdentity): Promise<void>
  /** A cheap fingerprint of the directory's content and commits: differs iff files or commits changed. */
  fingerprint(dir: string): Promise<string>
  /** Intact = the directory exists (and, for a repo task, is still a worktree). */
  isIntact(dir: string, expectGit: boolean): Promise<boolean>
  heartbeat(taskId: string, worktree: string): Promise<HeartbeatResult>
  completionAction(req: CompletionActionRequest): Promise<CompletionActionOutcome>
}

// ── Auth (login flow) ──────────────────────────────────────────────────────────────────────────

export interface AuthPort {
  /** Starts the login flow (setup-token) and resolves with the URL to show, or null. */
  requestLogin(taskId: string): Promise<{ loginUrl: string } | null>
  /** The code of an `AUTH_CODE:` message; false when no login is pending. */
  submitCode(code: string): boolean
  /** The task's credentials worked after all: forget it as stopped for auth. */
  withdrawLogin?(taskId: string): void
}
