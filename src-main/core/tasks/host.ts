// What a task is while the manager holds it, and what the run loop may ask of the manager
// (createRunHost builds that from the manager's parts).
import { hostname as osHostname } from 'node:os'
import type { Logger } from '../log/logger'
import { agentAdapter } from '../agents/adapters'
import type { AuthErrorMatch } from '../auth/detect'
import type { TaskRecord } from '../store/task-repository'
import { DEFAULT_BREAKER_THRESHOLDS, type BreakerThresholds } from './circuit-breaker'
import type { Slot } from './concurrency'
import type { AgentPort, AgentRunHandle, GitIdentity, OutputPort, WorkspaceInfo, WorkspacePort } from './ports'
import { StartGate } from './start-gate'
import type { TaskState } from './state'
import type { TaskManagerOptions } from './manager-options'
import { buildAgentEnv } from './task-records'
import type { ToolKeys } from './tool-keys'
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

/** The timings with the time to first output worked out, for the bench and the logs. */
export function timingsView(t: TaskTimings | undefined): (TaskTimings & { firstOutputMs?: number }) | undefined {
  if (!t) return undefined
  return { ...t, ...(t.firstOutputAt !== undefined ? { firstOutputMs: t.firstOutputAt - t.spawnedAt } : {}) }
}

/** An ended task's timings outlive it in memory, the newest 256 only. */
export function keepEndedTimings(kept: Map<string, TaskTimings>, t: { id: string; timings: TaskTimings }): void {
  kept.delete(t.id)
  kept.set(t.id, t.timings)
  if (kept.size > 256) kept.delete(kept.keys().next().value!)
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
  /** Agent launches a few at a time (start-gate.ts). */
  readonly startGate: StartGate
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
  /** The API answered after the prompt was raised from retries alone: take the prompt back. */
  onAuthWithdrawn(task: ManagedTask): void
  /** A tool ran or a file changed in the task's worktree. */
  onWorktreeTouched(task: ManagedTask): void
  shuttingDown(): boolean
}

export interface RunHostSources {
  opts: TaskManagerOptions
  keys: ToolKeys
  tasks: ReadonlyMap<string, ManagedTask>
  identity(): GitIdentity | null
  shuttingDown(): boolean
  setState(task: ManagedTask, next: TaskState, patch?: Partial<TaskRecord>): void
  emit(event: TaskEvent): void
}

export function createRunHost(m: RunHostSources): RunHost {
  const o = m.opts
  return {
    agents: o.agents, workspace: o.workspace, output: o.output, log: o.log,
    breaker: o.breaker ?? DEFAULT_BREAKER_THRESHOLDS,
    heartbeatIntervalMs: (o.heartbeatCommitIntervalSecs ?? 300) * 1000,
    startGate: new StartGate(o.maxConcurrentStarts),
    get identity() {
      return m.identity()
    },
    setState: m.setState,
    save: (t, patch) => {
      t.record = { ...t.record, ...patch, updatedAt: new Date().toISOString() }
      o.tasks.save(t.record)
    },
    notice: (t, text) => o.output.notice(t.id, text),
    emit: m.emit,
    toolKey: (t) => {
      const existing = m.keys.get(t.id)
      if (existing) return existing
      const key = m.keys.mint(t.id)
      m.emit({ type: 'registerToolKey', taskId: t.id, key })
      return key
    },
    agentEnv: (t, taskEnv) => {
      const r = buildAgentEnv({ baseEnv: o.baseEnv ?? process.env, taskEnv, apiUrl: o.apiUrl, extraPathDir: o.extraPathDir, enablePermissions: o.enablePermissions })
      if (r.rootSandboxFlag) o.log.info('running as root with permissions off: IS_SANDBOX=1 set for the agent', { taskId: t.id })
      return r.env
    },
    worktreeOf: async (id) => {
      const other = m.tasks.get(id)
      if (other?.dir) return other.dir
      return o.workspace.findWorktree(id, o.tasks.get(id)?.worktreePath ?? null)
    },
    onAuthError: (t, match) => void requestLogin(m, t, match),
    onAuthWithdrawn: (t) => {
      m.opts.log.info('the agent authenticated after retrying; sign-in prompt withdrawn', { taskId: t.id })
      m.opts.auth?.withdrawLogin?.(t.id)
      m.emit({ type: 'authenticationCleared', taskId: t.id })
    },
    onWorktreeTouched: (t) => m.emit({ type: 'worktreeTouched', taskId: t.id }),
    shuttingDown: m.shuttingDown,
  }
}

async function requestLogin(m: RunHostSources, t: ManagedTask, match: AuthErrorMatch): Promise<void> {
  const host = m.opts.hostname ?? osHostname()
  m.opts.log.warn('agent reported an authentication error', { taskId: t.id, reason: match.reason, via: match.via })
  const adapter = agentAdapter(m.opts.agents, t.req.agent)
  if (adapter.signIn.kind !== 'setup-token') {
    // No login flow to drive: say which key (or login command) the agent needs, on its machine.
    const hint = adapter.signIn.hint
    m.opts.output.notice(t.id, `Authentication required for ${adapter.displayName} on daemon (${host}): ${hint}.`)
    const keyVar = adapter.signIn.kind === 'api-key' ? { keyVar: adapter.signIn.envVar } : {}
    m.emit({ type: 'agentAuthRequired', taskId: t.id, agent: adapter.name, message: match.message, hint, ...keyVar })
    return
  }
  const login = await m.opts.auth?.requestLogin(t.id).catch(() => null)
  if (login) m.emit({ type: 'authenticationRequired', taskId: t.id, loginUrl: login.loginUrl, hostname: host })
  else m.opts.output.notice(t.id, `Authentication required on daemon (${host}). Please run 'claude /login' on the daemon machine.`)
}
