// What the task manager is built from: its ports (agents, workspace, output, store), limits and
// the environment it gives agents.
import type { Logger } from '../log/logger'
import type { Redactor } from '../log/redact'
import type { TaskRepository } from '../store/task-repository'
import type { BreakerThresholds } from './circuit-breaker'
import type { ConcurrencyLimits } from './concurrency'
import type { AgentPort, AuthPort, OutputPort, WorkspacePort } from './ports'

export interface TaskManagerOptions {
  tasks: TaskRepository
  agents: AgentPort
  /** The agent of a task that names none (config agent.default); claude when unset. */
  defaultAgent?: string
  workspace: WorkspacePort
  output: OutputPort
  redactor: Redactor
  log: Logger
  limits: ConcurrencyLimits
  /** MAKIMA_API_URL given to tasks (the loopback tool API, or the server's). */
  apiUrl: string
  /** Put first on the agents' PATH (where the in-task `makima` CLI lives). */
  extraPathDir?: string
  /** The agents' base environment (default: this process's). MAKIMA_* entries are never inherited. */
  baseEnv?: Record<string, string | undefined>
  enablePermissions?: boolean
  heartbeatCommitIntervalSecs?: number
  breaker?: BreakerThresholds
  /** Worktree health check period; 0 turns it off. Default 60 s. */
  healthCheckIntervalMs?: number
  auth?: AuthPort
  hostname?: string
  /** recover(): SIGTERM → SIGKILL grace for an agent a killed core left running. Default 5 s. */
  staleAgentGraceMs?: number
  /** worktree.allowed_roots: local repositories must lie inside these (none: any). */
  allowedRoots?: readonly string[]
  /** Agent launches in progress at once (start-gate.ts); default 4. */
  maxConcurrentStarts?: number
}
