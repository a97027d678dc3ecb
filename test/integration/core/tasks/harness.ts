// Builds a real task manager for integration tests: a real SQLite file, real temp git repos, the
// REAL Claude Code CLI (through the agent layer) against the scripted model server.
import { readFileSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redactor } from '../../../../src-main/core/log/redact'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { OutputRepository } from '../../../../src-main/core/store/output-repository'
import { TaskRepository } from '../../../../src-main/core/store/task-repository'
import { ClaudeAgentPort } from '../../../../src-main/core/tasks/agent-port'
import type { BreakerThresholds } from '../../../../src-main/core/tasks/circuit-breaker'
import { TaskManager } from '../../../../src-main/core/tasks/manager'
import { OutputLog } from '../../../../src-main/core/tasks/output-log'
import type { AgentPort, AuthPort } from '../../../../src-main/core/tasks/ports'
import type { TaskEvent } from '../../../../src-main/core/tasks/types'
import { GitWorkspace } from '../../../../src-main/core/tasks/workspace'
import { CLAUDE_BIN, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { startModelServer, type ModelServer, type Scenario } from '../../../fixtures/model-server'

export interface Harness {
  root: string
  store: Store
  tasks: TaskRepository
  output: OutputRepository
  log: OutputLog
  redactor: Redactor
  manager: TaskManager
  events: TaskEvent[]
  model: ModelServer
  env: ClaudeEnv
  workspace: GitWorkspace
  /** Stored output lines of a task (what is persisted so far). */
  lines(taskId: string): { kind: string; data: string }[]
  close(): Promise<void>
}

export interface HarnessOptions {
  scenario?: Scenario
  /** Reuse these (a "restart" of the core over the same data). */
  root?: string
  home?: string
  agents?: (o: { log: OutputLog; env: Record<string, string> }) => AgentPort
  limits?: { maxConcurrentTasks: number; maxTasksPerContract: number }
  breaker?: BreakerThresholds
  heartbeatCommitIntervalSecs?: number
  healthCheckIntervalMs?: number
  auth?: AuthPort
  extraEnv?: Record<string, string>
  /** Run the agents under bubblewrap. */
  sandbox?: boolean
  maxConcurrentStarts?: number
}

export async function makeHarness(o: HarnessOptions = {}): Promise<Harness> {
  const root = o.root ?? (await mkdtemp(join(tmpdir(), 'makima-tasks-')))
  const model = await startModelServer(o.scenario ?? {})
  const env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test', home: o.home ?? join(root, 'home'), extra: o.extraEnv })
  const store = await openStore({ path: join(root, 'db.sqlite') })
  const tasks = new TaskRepository(store.db)
  const output = new OutputRepository(store.db)
  const redactor = new Redactor()
  const log = new OutputLog({ repo: output, redactor })
  const workspace = new GitWorkspace({
    worktreesDir: join(root, 'worktrees'), reposDir: join(root, 'repos'), tempDir: join(root, 'temp'),
    checkpointPatches: { enabled: true, maxSizeBytes: 10 * 1024 * 1024 },
  })
  const agents = o.agents?.({ log, env: env.env }) ??
    new ClaudeAgentPort({
      command: CLAUDE_BIN, output: log, versionEnv: env.env, killGraceMs: 2000,
      ...(o.sandbox ? { sandbox: { bwrapPath: '/usr/bin/bwrap', tmpRoot: join(root, 'agent-tmp') } } : {}),
    })
  const manager = new TaskManager({
    tasks, agents, workspace, output: log, redactor, log: silentLogger(),
    limits: o.limits ?? { maxConcurrentTasks: 10, maxTasksPerContract: 10 },
    apiUrl: 'http://127.0.0.1:1/tool-api', baseEnv: env.env,
    heartbeatCommitIntervalSecs: o.heartbeatCommitIntervalSecs ?? 0,
    healthCheckIntervalMs: o.healthCheckIntervalMs ?? 0,
    ...(o.breaker ? { breaker: o.breaker } : {}),
    ...(o.auth ? { auth: o.auth } : {}),
    ...(o.maxConcurrentStarts ? { maxConcurrentStarts: o.maxConcurrentStarts } : {}),
  })
  const events: TaskEvent[] = []
  manager.onEvent((e) => events.push(e))
  return {
    root, store, tasks, output, log, redactor, manager, events, model, env, workspace,
    lines(taskId) {
      return output.page(taskId, 0, 1_000_000).map((l) => ({ kind: l.kind, data: l.data }))
    },
    async close() {
      await manager.shutdown()
      await log.dispose()
      store.close()
      await model.close()
      if (!o.root) await rm(root, { recursive: true, force: true })
    },
  }
}

export async function waitFor<T>(cond: () => T | undefined | null | false | Promise<T | undefined | null | false>, opts: { timeoutMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000)
  for (;;) {
    const v = await cond()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export const statusChanges = (events: TaskEvent[], taskId: string): string[] =>
  events.flatMap((e) => (e.type === 'taskStatusChange' && e.taskId === taskId ? [`${e.oldStatus}->${e.newStatus}`] : []))

/** The daemon's notice lines in a task's stored output. */
export const noticesOf = (h: Harness, taskId: string): string[] => h.lines(taskId).filter((l) => l.kind === 'notice').map((l) => l.data)

export const completeOf = (events: TaskEvent[], taskId: string) =>
  events.find((e): e is Extract<TaskEvent, { type: 'taskComplete' }> => e.type === 'taskComplete' && e.taskId === taskId)

/** Live processes whose command line starts with `prefix` (e.g. a tool's `sleep 41.5`). */
export function procsStartingWith(prefix: string): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').startsWith(prefix)) out.push(Number(name))
    } catch {
      // exited meanwhile
    }
  }
  return out
}
