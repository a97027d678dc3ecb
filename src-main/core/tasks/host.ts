// What a task is while the manager holds it, and what the run loop may ask of the manager.
import type { Logger } from '../log/logger'
import type { AuthErrorMatch } from '../auth/detect'
import type { TaskRecord } from '../store/task-repository'
import type { BreakerThresholds } from './circuit-breaker'
import type { Slot } from './concurrency'
import type { AgentPort, AgentRunHandle, GitIdentity, OutputPort, WorkspaceInfo, WorkspacePort } from './ports'
import type { TaskState } from './state'
import type { SpawnTaskRequest, TaskEvent } from './types'

export interface TaskTimings {
  /** spawn() accepted the task (ms since epoch). */
  spawnedAt: number
  /** The first agent process was started. */
  agentStartedAt?: number
  /** The first line printed by the agent. */
  firstOutputAt?: number
  runningAt?: number
  endedAt?: number
  /** Agent lines seen (all runs). */
  lines: number
}

export interface ManagedTask {
  readonly id: string
  req: SpawnTaskRequest
  state: TaskState
  record: TaskRecord
  dir: string | null
  isRepo: boolean
  workspace: WorkspaceInfo | null
  /** Claude Code session id (system/init), kept for --resume. */
  sessionId: string | null
  agent: AgentRunHandle | null
  slot: Slot | null
  /** Set by interrupt() or the health check; the run loop stops at its next step. */
  interrupted: { reason: string } | null
  /** The background run, while one is in progress. */
  run: Promise<void> | null
  /** Messages for a supervisor that arrived while its agent could not take them. */
  queuedMessages: string[]
  timings: TaskTimings
}

export interface RunHost {
  readonly agents: AgentPort
  readonly workspace: WorkspacePort
  readonly output: OutputPort
  readonly log: Logger
  readonly breaker: BreakerThresholds
  /** 0 = no heartbeat commits. */
  readonly heartbeatIntervalMs: number
  readonly identity: GitIdentity | null
  setState(task: ManagedTask, next: TaskState, patch?: Partial<TaskRecord>): void
  /** Persist the task's record (worktree path, session id, …) without a state change. */
  save(task: ManagedTask, patch?: Partial<TaskRecord>): void
  notice(task: ManagedTask, text: string): void
  emit(event: TaskEvent): void
  /** Mints (or reuses) the task's tool key and announces it; returns it. */
  toolKey(task: ManagedTask): string
  /** The agent's whole environment for this task. */
  agentEnv(task: ManagedTask, taskEnv: Record<string, string>): Record<string, string>
  worktreeOf(taskId: string): Promise<string | null>
  onAuthError(task: ManagedTask, match: AuthErrorMatch): void
  shuttingDown(): boolean
}
