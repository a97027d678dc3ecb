// Shared test parts for the server link: a task engine that runs real child processes, a capturing
// logger, temp stores, and a waitFor with a deadline.
import { spawn as spawnChild, type ChildProcess } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Logger } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import type {
  ControlOutcome, LoginPort, ProcessPort, SpawnOutcome, SpawnTaskCommand, SubmitCodeOutcome, TaskEngineMessage, TaskEnginePort, TaskWorktree, WorktreeLookup,
} from '../../../../src-main/core/server/ports'

export async function waitFor(cond: () => boolean | Promise<boolean>, opts: { timeoutMs?: number; what?: string } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000)
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export async function tempDir(prefix = 'makima-server-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

export async function tempStore(dir?: string): Promise<Store> {
  return openStore({ path: join(dir ?? (await tempDir()), 'daemon.db') })
}

/** A logger whose every line (stderr form and file form) is kept, to look for secrets. */
export function capturingLogger(level: 'trace' | 'debug' | 'info' = 'debug'): { log: Logger; lines: string[] } {
  const lines: string[] = []
  const redactor = new Redactor()
  const file = { write: (l: string) => lines.push(l) } as unknown as ConstructorParameters<typeof Logger>[0]['file']
  const log = new Logger({ level, redactor, stderr: { write: (l) => lines.push(l) }, file })
  return { log, lines }
}

interface FakeTask {
  id: string
  state: 'running' | 'paused' | 'completed' | 'failed' | 'interrupted'
  child: ChildProcess | null
  messages: string[]
}

export interface EngineOptions {
  maxConcurrent?: number
  /** Lines each task prints (a real child process prints them). */
  linesPerTask?: number
}

/** A task engine whose tasks are real child processes printing numbered lines. */
export class ChildProcessEngine implements TaskEnginePort {
  readonly tasks = new Map<string, FakeTask>()
  readonly worktrees = new Map<string, TaskWorktree>()
  readonly spawned: SpawnTaskCommand[] = []
  readonly calls: string[] = []
  private readonly listeners = new Set<(m: readonly TaskEngineMessage[]) => void>()
  stopAllCalls = 0

  constructor(private readonly opts: EngineOptions = {}) {}

  emit(...messages: TaskEngineMessage[]): void {
    for (const l of this.listeners) l(messages)
  }

  onMessages(listener: (m: readonly TaskEngineMessage[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  activeTaskIds(): string[] {
    return [...this.tasks.values()].filter((t) => t.state === 'running' || t.state === 'paused').map((t) => t.id)
  }

  async spawn(cmd: SpawnTaskCommand): Promise<SpawnOutcome> {
    this.calls.push(`spawn ${cmd.taskId}`)
    const existing = this.tasks.get(cmd.taskId)
    if (existing && (existing.state === 'running' || existing.state === 'paused')) return { kind: 'refused', reason: `Task ${cmd.taskId} is already running` }
    const max = this.opts.maxConcurrent ?? 4
    if (this.activeTaskIds().length >= max) return { kind: 'refused', reason: `Concurrency limit reached (${max} tasks running): wait for one to finish or raise max_concurrent_tasks` }
    this.spawned.push(cmd)
    const task: FakeTask = { id: cmd.taskId, state: 'running', child: null, messages: [] }
    this.tasks.set(cmd.taskId, task)
    this.emit(
      { type: 'taskStatusChange', taskId: cmd.taskId, oldStatus: 'pending', newStatus: 'initializing' },
      { type: 'taskStatusChange', taskId: cmd.taskId, oldStatus: 'initializing', newStatus: 'starting' },
      { type: 'taskStatusChange', taskId: cmd.taskId, oldStatus: 'starting', newStatus: 'running' },
    )
    const n = this.opts.linesPerTask ?? 3
    const script = `for (let i = 0; i < ${n}; i++) console.log(JSON.stringify({ type: 'assistant', plan: process.argv[1], line: i }))`
    const child = spawnChild(process.execPath, ['-e', script, cmd.plan], { stdio: ['ignore', 'pipe', 'inherit'] })
    task.child = child
    const rl = createInterface({ input: child.stdout! })
    rl.on('line', (line) => this.emit({ type: 'taskOutput', taskId: cmd.taskId, output: line, isPartial: false }))
    child.on('close', (code) => {
      task.child = null
      if (task.state !== 'running' && task.state !== 'paused') return
      task.state = code === 0 ? 'completed' : 'failed'
      this.emit({ type: 'taskComplete', taskId: cmd.taskId, success: code === 0, error: code === 0 ? null : `exit code ${code}` })
    })
    return { kind: 'accepted' }
  }

  private control(taskId: string, verb: string, from: FakeTask['state'][], to: FakeTask['state']): ControlOutcome {
    this.calls.push(`${verb} ${taskId}`)
    const t = this.tasks.get(taskId)
    if (!t) return { kind: 'not-found' }
    if (!from.includes(t.state)) return { kind: 'refused', reason: `Cannot ${verb} a ${t.state} task` }
    const old = t.state
    t.state = to
    if (old !== to) this.emit({ type: 'taskStatusChange', taskId, oldStatus: old, newStatus: to })
    return { kind: 'ok' }
  }

  async pause(taskId: string): Promise<ControlOutcome> {
    return this.control(taskId, 'pause', ['running', 'paused'], 'paused')
  }
  async resume(taskId: string): Promise<ControlOutcome> {
    return this.control(taskId, 'resume', ['running', 'paused'], 'running')
  }
  async interrupt(taskId: string, _graceful: boolean): Promise<ControlOutcome> {
    const out = this.control(taskId, 'interrupt', ['running', 'paused'], 'interrupted')
    this.tasks.get(taskId)?.child?.kill('SIGTERM')
    return out
  }
  async sendMessage(taskId: string, message: string): Promise<ControlOutcome> {
    this.calls.push(`message ${taskId}`)
    const t = this.tasks.get(taskId)
    if (!t) return { kind: 'not-found' }
    t.messages.push(message)
    return { kind: 'ok' }
  }
  async worktreeOf(taskId: string): Promise<WorktreeLookup> {
    const wt = this.worktrees.get(taskId)
    if (wt) return { kind: 'found', worktree: wt }
    return this.tasks.has(taskId) ? { kind: 'no-worktree' } : { kind: 'not-found' }
  }
  forget(taskId: string): void {
    this.tasks.delete(taskId)
    this.worktrees.delete(taskId)
  }
  async stopAll(_graceMs: number): Promise<void> {
    this.stopAllCalls++
    for (const t of this.tasks.values()) t.child?.kill('SIGTERM')
  }
}

export class RecordingLogin implements LoginPort {
  readonly codes: string[] = []
  pending = true
  async submitCode(code: string): Promise<SubmitCodeOutcome> {
    if (!this.pending) return { kind: 'no-pending-login' }
    this.codes.push(code)
    return { kind: 'accepted' }
  }
}

export class RecordingProcess implements ProcessPort {
  readonly exits: number[] = []
  exit(code: number): void {
    this.exits.push(code)
  }
}

/** A spawnTask command as a server writes it (type spelling configurable). */
export function spawn(taskId: string, plan: string, type = 'spawnTask'): Record<string, unknown> {
  return {
    type, taskId, taskName: `task ${plan}`, plan, depth: 0, isOrchestrator: false, isSupervisor: false, autonomousLoop: false, resumeSession: false,
    repoUrl: null, completionAction: 'none',
  }
}
