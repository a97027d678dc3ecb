// Interactive shells in task worktrees (the "Terminal" tab): one node-pty per terminal, several per
// task, a bounded number overall. Output leaves through OutputFlow (batched, paused while the
// renderer lags); a terminal ends when its shell exits, when it is closed, when its worktree is
// removed (checked on a timer while any is open) and when the host is disposed with the core.
import { randomUUID } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { processIdentity, startOfIdentity } from '../agents/process-tree'
import type { Logger } from '../log/logger'
import { DEFAULT_FLOW, OutputFlow, type FlowOptions, type FlowStats } from './flow'
import { hangUpTree } from './hang-up'
import { Scrollback } from './scrollback'
import { spawnTerminalPty, type TerminalPty, type TerminalSpawner } from './pty'
import { findRunScript } from './run-script'
import { pickShell, terminalEnv } from './shell'

export const TERMINAL_LIMITS = { maxCols: 500, maxRows: 200, maxWriteChars: 64 * 1024 } as const

export type TerminalErrorKind = 'not-found' | 'no-worktree' | 'limit' | 'invalid' | 'unavailable'

/** A refusal the caller can act on (the bridge turns it into `{ ok: false, code, message }`). */
export class TerminalError extends Error {
  constructor(
    readonly kind: TerminalErrorKind,
    message: string,
  ) {
    super(message)
    this.name = 'TerminalError'
  }
}

export type TerminalEvent = { type: 'data'; terminalId: string; data: string; offset: number } | { type: 'exit'; terminalId: string; exitCode: number }

export interface TerminalTaskSource {
  get(taskId: string): { name: string; worktreePath: string | null } | undefined
}

export interface TerminalHostOptions {
  tasks: TerminalTaskSource
  /** The daemon's environment the shells start from (default: process.env); MAKIMA_* is dropped. */
  env?: Record<string, string | undefined>
  spawn?: TerminalSpawner
  log?: Logger
  maxTerminals?: number
  flow?: Partial<FlowOptions>
  /** How often open terminals' worktrees are checked for removal. */
  watchMs?: number
  /** SIGHUP → SIGKILL grace when a terminal is closed. */
  killGraceMs?: number
}

export interface TerminalInfo {
  terminalId: string
  taskId: string
  pid: number
  cwd: string
  /** 'run': the repository's run command (.makima/run) rather than a shell. */
  kind: 'shell' | 'run'
}

interface Terminal extends TerminalInfo {
  pty: TerminalPty
  flow: OutputFlow
  scrollback: Scrollback
  /** The worktree directory's identity at open: a removed-and-recreated worktree is another one. */
  dirId: string
  subscriptions: { dispose(): void }[]
  exited: Promise<void>
  markExited: () => void
  closing: Promise<void> | null
  done: boolean
  /** The shell's /proc start time, read at open: a hang-up never hits a recycled pid. */
  rootStart: Promise<string | undefined>
}

const dirIdOf = (s: { dev: number; ino: number }) => `${s.dev}:${s.ino}`

export class TerminalHost {
  private readonly terminals = new Map<string, Terminal>()
  private readonly listeners = new Set<(e: TerminalEvent) => void>()
  private readonly spawn: TerminalSpawner
  private readonly flowOpts: FlowOptions
  private readonly maxTerminals: number
  private opening = 0
  private watchTimer: NodeJS.Timeout | null = null
  private watching = false
  private disposed = false

  constructor(private readonly opts: TerminalHostOptions) {
    this.spawn = opts.spawn ?? spawnTerminalPty
    this.flowOpts = { ...DEFAULT_FLOW, ...opts.flow }
    this.maxTerminals = opts.maxTerminals ?? 32
  }

  onEvent(listener: (e: TerminalEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async open(taskId: string, size: { cols?: number; rows?: number } = {}, what: { run?: boolean } = {}): Promise<{ terminalId: string }> {
    if (this.disposed) throw new TerminalError('unavailable', 'Terminals are shutting down.')
    const cols = size.cols ?? 80
    const rows = size.rows ?? 24
    checkSize(cols, rows)
    if (this.terminals.size + this.opening >= this.maxTerminals) {
      throw new TerminalError('limit', `Too many open terminals (${this.maxTerminals}); close one first.`)
    }
    this.opening++
    try {
      const task = this.opts.tasks.get(taskId)
      if (!task) throw new TerminalError('not-found', `Task ${taskId} not found.`)
      const cwd = task.worktreePath
      if (!cwd) throw new TerminalError('no-worktree', `Task ${task.name} has no worktree yet.`)
      const info = await stat(cwd).catch(() => null)
      if (!info?.isDirectory()) throw new TerminalError('no-worktree', `The worktree of task ${task.name} no longer exists (${cwd}).`)
      const env = this.opts.env ?? process.env
      const shell = await pickShell(env).catch((err: Error) => {
        throw new TerminalError('unavailable', err.message)
      })
      if (this.disposed) throw new TerminalError('unavailable', 'Terminals are shutting down.')
      const program = what.run ? await runProgram(cwd) : { file: shell, args: [] }
      let pty: TerminalPty
      try {
        pty = this.spawn(program.file, program.args, { cols, rows, cwd, env: terminalEnv(env, cwd) })
      } catch (err) {
        throw new TerminalError('unavailable', `Could not start ${program.file}: ${(err as Error).message}`)
      }
      return { terminalId: this.adopt(taskId, cwd, dirIdOf(info), pty, what.run ? 'run' : 'shell') }
    } finally {
      this.opening--
    }
  }

  write(terminalId: string, data: string): void {
    if (typeof data !== 'string' || data.length > TERMINAL_LIMITS.maxWriteChars) {
      throw new TerminalError('invalid', `A write holds at most ${TERMINAL_LIMITS.maxWriteChars} characters.`)
    }
    this.live(terminalId).pty.write(data)
  }

  resize(terminalId: string, cols: number, rows: number): void {
    checkSize(cols, rows)
    const t = this.live(terminalId)
    try {
      t.pty.resize(cols, rows)
    } catch (err) {
      // The shell exited a moment ago; its exit event is on its way.
      this.opts.log?.debug('terminal resize after exit', { terminalId, error: err })
    }
  }

  /** The renderer has processed `chars` more of this terminal's output. */
  ack(terminalId: string, chars: number): void {
    if (!Number.isInteger(chars) || chars < 0) throw new TerminalError('invalid', 'An acknowledgement is a count of characters (0 or more).')
    this.terminals.get(terminalId)?.flow.ack(chars) // a late ack for an ended terminal is harmless
  }

  /** A view shows this terminal (again): what it printed so far, and output from `end` on. */
  attach(terminalId: string): { scrollback: string; end: number } {
    const t = this.live(terminalId)
    t.flow.flush()
    t.flow.watch()
    const { text, end } = t.scrollback.snapshot()
    return { scrollback: text, end }
  }

  /** No view shows it now; the shell keeps running and its output is kept. */
  detach(terminalId: string): void {
    this.terminals.get(terminalId)?.flow.unwatch() // an ended terminal has nothing to detach
  }

  /** Hangs up the shell and everything it started; resolves once it has exited. */
  async close(terminalId: string): Promise<void> {
    await this.end(this.live(terminalId))
  }

  /** Closes every terminal of a task (its worktree is going away). */
  async closeTask(taskId: string, reason?: string): Promise<void> {
    const mine = [...this.terminals.values()].filter((t) => t.taskId === taskId)
    await Promise.all(mine.map((t) => this.end(t, reason)))
  }

  list(taskId?: string): TerminalInfo[] {
    return [...this.terminals.values()].filter((t) => !taskId || t.taskId === taskId).map(({ terminalId, taskId: id, pid, cwd, kind }) => ({ terminalId, taskId: id, pid, cwd, kind }))
  }

  /** What a terminal's scrollback holds now, without attaching (tests, diagnostics). */
  peek(terminalId: string): string | undefined {
    return this.terminals.get(terminalId)?.scrollback.snapshot().text
  }

  /** Flow-control figures of one terminal (tests, diagnostics); undefined once it has ended. */
  stats(terminalId: string): FlowStats | undefined {
    return this.terminals.get(terminalId)?.flow.stats()
  }

  async dispose(): Promise<void> {
    this.disposed = true
    this.stopWatch()
    await Promise.all([...this.terminals.values()].map((t) => this.end(t)))
    this.listeners.clear()
  }

  private adopt(taskId: string, cwd: string, dirId: string, pty: TerminalPty, kind: 'shell' | 'run'): string {
    const terminalId = randomUUID()
    let markExited!: () => void
    const exited = new Promise<void>((r) => (markExited = r))
    const scrollback = new Scrollback()
    const flow = new OutputFlow(
      {
        emit: (data, watched) => {
          const offset = scrollback.append(data)
          if (watched) this.emit({ type: 'data', terminalId, data, offset })
        },
        pause: () => pty.pause(),
        resume: () => pty.resume(),
      },
      this.flowOpts,
    )
    const t: Terminal = { terminalId, taskId, pid: pty.pid, cwd, kind, pty, flow, scrollback, dirId, subscriptions: [], exited, markExited, closing: null, done: false,
      rootStart: processIdentity(pty.pid).then((id) => (id === null ? undefined : startOfIdentity(id))),
    }
    t.subscriptions.push(
      pty.onData((d) => flow.push(d)),
      pty.onExit(({ exitCode, signal }) => this.finish(t, signal ? 128 + signal : exitCode)),
    )
    this.terminals.set(terminalId, t)
    this.opts.log?.info('terminal opened', { terminalId, taskId, pid: pty.pid, kind })
    this.startWatch()
    return terminalId
  }

  private finish(t: Terminal, exitCode: number): void {
    if (t.done) return
    t.done = true
    t.flow.flush()
    t.flow.dispose()
    for (const s of t.subscriptions) s.dispose()
    this.terminals.delete(t.terminalId)
    if (this.terminals.size === 0) this.stopWatch()
    this.opts.log?.info('terminal exited', { terminalId: t.terminalId, taskId: t.taskId, exitCode })
    this.emit({ type: 'exit', terminalId: t.terminalId, exitCode })
    t.markExited()
  }

  private end(t: Terminal, reason?: string): Promise<void> {
    t.closing ??= (async () => {
      if (reason) {
        t.flow.push(`\r\n[${reason}]\r\n`)
        t.flow.flush()
      }
      t.flow.ack(Number.MAX_SAFE_INTEGER) // a paused pty must drain to see its end
      t.pty.resume()
      const rootStart = await t.rootStart
      // A shell gone before its start time could be read: its pid may be another process by now
      // (pids recycle fast), and the tree under that pid is not ours to hang up.
      if (rootStart !== undefined || !t.done) await hangUpTree(t.pid, this.opts.killGraceMs ?? 500, { rootStart })
      // node-pty reports the exit once its socket closes; do not wait on it forever.
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<void>((r) => (timer = setTimeout(r, 3_000)))
      await Promise.race([t.exited, deadline])
      clearTimeout(timer)
      if (!t.done) {
        // node-pty signals by pid: only while that pid is still this shell (its exit may just not
        // be reported yet, and the pid may already be another process's).
        const now = rootStart === undefined ? null : await processIdentity(t.pid)
        if (now !== null && startOfIdentity(now) === rootStart) t.pty.kill('SIGKILL')
        this.finish(t, 128 + 9)
      }
    })()
    return t.closing
  }

  private live(terminalId: string): Terminal {
    const t = this.terminals.get(terminalId)
    if (!t) throw new TerminalError('not-found', `Terminal ${terminalId} is not open.`)
    return t
  }

  private emit(e: TerminalEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch (err) {
        this.opts.log?.error('terminal event listener failed', { error: err })
      }
    }
  }

  private startWatch(): void {
    if (this.watchTimer || this.disposed) return
    this.watchTimer = setInterval(() => void this.checkWorktrees(), this.opts.watchMs ?? 1_000)
    this.watchTimer.unref()
  }

  private stopWatch(): void {
    if (this.watchTimer) clearInterval(this.watchTimer)
    this.watchTimer = null
  }

  private async checkWorktrees(): Promise<void> {
    if (this.watching) return
    this.watching = true
    try {
      const byDir = new Map<string, Terminal[]>()
      for (const t of this.terminals.values()) if (!t.closing) byDir.set(t.cwd, [...(byDir.get(t.cwd) ?? []), t])
      for (const [dir, list] of byDir) {
        const info = await stat(dir).catch(() => null)
        const gone = list.filter((t) => !info?.isDirectory() || dirIdOf(info) !== t.dirId)
        for (const t of gone) void this.end(t, 'the worktree was removed; terminal closed')
      }
    } finally {
      this.watching = false
    }
  }
}

function checkSize(cols: number, rows: number): void {
  const ok = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max
  if (!ok(cols, TERMINAL_LIMITS.maxCols) || !ok(rows, TERMINAL_LIMITS.maxRows)) {
    throw new TerminalError('invalid', `A terminal is 1–${TERMINAL_LIMITS.maxCols} columns by 1–${TERMINAL_LIMITS.maxRows} rows (got ${cols}×${rows}).`)
  }
}

/** What a Run terminal starts: the repository's .makima/run, or a refusal that says how to add one. */
async function runProgram(cwd: string): Promise<{ file: string; args: string[] }> {
  const script = await findRunScript(cwd)
  if (script.kind === 'missing') throw new TerminalError('not-found', script.reason)
  return { file: script.file, args: script.args }
}
