// One agent child process: spawned in its own process group with stdio pipes, fed user messages on
// stdin, its stdout/stderr split into classified lines. It owns its timers:
// - startup watchdog: ONE warning when nothing was printed after startupWarningMs;
// - after a `result` line stdin is closed (unless kept open for multi-turn) and, if the process
//   has not exited exitAfterResultMs later, it is stopped (agents can hang after their result);
// - pause/resume stop and continue the agent, its group and every descendant (tools started in a
//   session of their own too); interrupt/stop end all of them.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { classifyLine, noticeLine, type ClassifiedLine, type OutputStream } from './classify'
import { parseResult, userMessageLine, type ClaudeResult } from './adapters/claude'
import { claudeEvents } from './adapters/claude-events'
import type { AgentEvent, InputMode } from './adapters/types'
import { LineReader, truncationNotice, DEFAULT_MAX_LINE_BYTES } from './line-reader'
import { killChild } from './kill-child'
import { processIdentity, startOfIdentity } from './process-tree'
import {
  continueTree, defined, realTimers, signalGroup, stopTree, terminateGroup, terminateTree, waitGroupGone, type StoppedSet, type Timers,
} from './process-group'

export interface AgentProcessOptions {
  command: string
  args: readonly string[]
  cwd: string
  env: Record<string, string>
  /** Close stdin after a `result` line (one-shot, default). False keeps it open for more turns. */
  closeStdinOnResult?: boolean
  exitAfterResultMs?: number
  startupWarningMs?: number
  /** Between SIGTERM and SIGKILL when stopping. */
  killGraceMs?: number
  maxLineBytes?: number
  timers?: Timers
  /** How user messages get in (default: Claude's stdin stream-json). 'argv': stdin is closed at once. */
  input?: InputMode
  /** The adapter's parser for this process (default: Claude's). */
  parse?: (line: ClassifiedLine) => AgentEvent[]
  /** For our notices, e.g. "Codex CLI". */
  displayName?: string
}

export interface AgentExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** Set when the process could not be started (e.g. ENOENT). */
  spawnError?: string
  /** Why we stopped it, when we did. */
  stoppedBy?: 'interrupt' | 'hang-after-result' | 'stop'
  /** Exited without a single stdout line (it may have printed errors on stderr). */
  beforeOutput: boolean
}

export interface AgentTimings {
  spawnedAt: number
  firstOutputAt?: number
  /** Spawn → first line on stdout or stderr, in ms. */
  firstOutputMs?: number
  exitedAt?: number
}

type Listeners = {
  line: (line: ClassifiedLine, events: AgentEvent[]) => void
  sessionId: (id: string) => void
  result: (result: ClaudeResult, line: ClassifiedLine) => void
  startupSlow: () => void
  exit: (exit: AgentExit) => void
}

export const STARTUP_WARNING_TEXT =
  'Warning: Claude Code is taking longer than expected to start. It may be waiting for authentication or network access.'

export class AgentProcess {
  readonly pid: number | undefined
  readonly exited: Promise<AgentExit>
  private readonly child: ChildProcessWithoutNullStreams
  private readonly timers: Timers
  private readonly listeners: { [K in keyof Listeners]: Set<Listeners[K]> } = {
    line: new Set(), sessionId: new Set(), result: new Set(), startupSlow: new Set(), exit: new Set(),
  }
  private readonly opts: Required<Omit<AgentProcessOptions, 'timers'>>
  private readonly name: string
  private startupTimer: unknown
  private afterResultTimer: unknown
  private drainTimer: unknown
  private linesSeen = 0
  private stdoutLines = 0
  private warned = false
  private paused = false
  private outputHeld = false
  private stdinOpen = true
  private resultSeen = false
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined
  private stoppedBy: AgentExit['stoppedBy']
  private streamsOpen = 2
  private sessionIdValue: string | undefined
  private resolveExit!: (e: AgentExit) => void
  private finished = false
  private readonly timingsValue: AgentTimings
  /** Tree walks run one after another, so a resume never overtakes the pause before it. */
  private signalChain: Promise<void> = Promise.resolve()
  private stoppedSet: StoppedSet | undefined
  private stopping = false
  /** The agent's /proc start time: tree walks skip its pid once that is another process's. */
  private rootStart: string | undefined
  private readonly rootStartRead: Promise<void>

  constructor(options: AgentProcessOptions) {
    this.opts = {
      closeStdinOnResult: true, exitAfterResultMs: 5_000, startupWarningMs: 30_000, killGraceMs: 5_000,
      maxLineBytes: DEFAULT_MAX_LINE_BYTES, input: { kind: 'stream', userLine: userMessageLine }, parse: claudeEvents,
      displayName: 'Claude Code', ...defined(options),
    } as Required<Omit<AgentProcessOptions, 'timers'>>
    this.name = this.opts.displayName
    this.timers = options.timers ?? realTimers
    this.exited = new Promise((r) => (this.resolveExit = r))
    this.timingsValue = { spawnedAt: Date.now() }
    // detached: the child leads a new process group (pgid = pid), so signals can reach its tools.
    this.child = spawn(this.opts.command, [...this.opts.args], {
      cwd: this.opts.cwd, env: this.opts.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'],
    })
    this.pid = this.child.pid
    // First, before any use of stdio: on EMFILE Node hands back a child whose pipes are null.
    this.child.on('error', (err) => {
      if (this.pid === undefined) this.complete({ code: null, signal: null }, err.message)
    })
    this.child.on('exit', (code, signal) => this.onExit(code, signal))
    if (!this.child.stdin || !this.child.stdout || !this.child.stderr) {
      this.stdinOpen = false
      killChild(this.child, 'SIGKILL')
      // Later, so that the caller's line listener (attached after construction) hears why.
      setImmediate(() => this.complete({ code: null, signal: null }, 'no pipes for the process (too many open files?)'))
      this.rootStartRead = Promise.resolve()
      return
    }
    this.child.stdin.on('error', () => (this.stdinOpen = false)) // EPIPE when the agent is gone
    if (this.opts.input.kind === 'argv') {
      // The prompt is in argv; an open stdin would make the CLI wait for more input.
      this.stdinOpen = false
      this.child.stdin.end()
    }
    this.read(this.child.stdout, 'stdout')
    this.read(this.child.stderr, 'stderr')
    this.rootStartRead = this.pid === undefined ? Promise.resolve() : this.readRootStart(this.pid)
    this.startupTimer = this.timers.setTimeout(() => this.onStartupTimeout(), this.opts.startupWarningMs)
  }

  /** The session id from `system/init`, once seen. */
  get sessionId(): string | undefined {
    return this.sessionIdValue
  }

  get isPaused(): boolean {
    return this.paused
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined && this.pid !== undefined
  }

  timings(): AgentTimings {
    return { ...this.timingsValue }
  }

  on<K extends keyof Listeners>(event: K, fn: Listeners[K]): () => void {
    this.listeners[event].add(fn)
    return () => this.listeners[event].delete(fn)
  }

  /** Writes one user message as the §1.4 stdin line. False when stdin is already closed. */
  send(text: string): boolean {
    return this.opts.input.kind === 'stream' && this.writeRaw(this.opts.input.userLine(text))
  }

  /** Writes a raw stdin line (e.g. a control_request). */
  writeRaw(line: string): boolean {
    if (!this.stdinOpen || this.child.stdin.destroyed || this.child.stdin.writableEnded) return false
    this.child.stdin.write(line)
    return true
  }

  /** Ends stdin (EOF ends a stream-json session) and arms the stop-if-still-running timer. */
  closeInput(): void {
    if (this.stdinOpen) {
      this.stdinOpen = false
      this.child.stdin.end()
    }
    this.armAfterResult()
  }

  /**
   * SIGSTOP to the group at once, then to every descendant (walked from /proc in the background;
   * signalsSettled() resolves when it is done). Watchdogs are suspended while paused.
   */
  pause(): boolean {
    if (!this.isRunning || this.paused || this.stopping || !signalGroup(this.pid!, 'SIGSTOP')) return false
    this.paused = true
    this.clear('startupTimer')
    this.clear('afterResultTimer')
    const pid = this.pid!
    this.chain(async () => {
      await this.rootStartRead
      this.stoppedSet = await stopTree(pid, { rootStart: this.rootStart })
    })
    return true
  }

  /** SIGCONT to every descendant and the group; watchdogs restart with their full period. */
  resume(): boolean {
    if (!this.isRunning || !this.paused) return false
    this.paused = false
    const pid = this.pid!
    this.chain(async () => {
      await this.rootStartRead
      await continueTree(pid, this.stoppedSet, { rootStart: this.rootStart })
      this.stoppedSet = undefined
    })
    if (this.linesSeen === 0 && !this.warned) {
      this.startupTimer = this.timers.setTimeout(() => this.onStartupTimeout(), this.opts.startupWarningMs)
    }
    if (this.resultSeen && !this.stdinOpen) this.armAfterResult()
    return true
  }

  /** Stops the agent and everything it started; resolves with the exit once the group is gone. */
  interrupt(): Promise<AgentExit> {
    return this.stop('interrupt')
  }

  async stop(reason: NonNullable<AgentExit['stoppedBy']> = 'stop'): Promise<AgentExit> {
    if (this.pid !== undefined && !this.finished) {
      this.stoppedBy ??= reason
      this.paused = false
      this.stopping = true
      await this.signalChain // a pause walk in flight must not stop what is being ended
      await this.rootStartRead
      // Once reaped, the pid is free for any process; without its start time only the group is ours.
      if (this.rootStart !== undefined || this.exitInfo === undefined) {
        await terminateTree(this.pid, this.opts.killGraceMs, defined({ rootStart: this.rootStart }))
      }
    }
    return this.exited
  }

  /**
   * Read while the child is not yet reaped (its 'exit' not seen), so the pid is still ours: a
   * start time read after the exit could be another process's and is dropped.
   */
  private async readRootStart(pid: number): Promise<void> {
    const identity = await processIdentity(pid)
    if (identity !== null && this.exitInfo === undefined) this.rootStart = startOfIdentity(identity)
  }

  /** Resolves once the pause/resume tree walks asked for so far are done. */
  signalsSettled(): Promise<void> {
    return this.signalChain
  }

  private chain(step: () => Promise<void>): void {
    this.signalChain = this.signalChain.then(step).catch(() => undefined)
  }

  /** Backpressure: stop reading the pipes (the agent blocks on a full pipe) until resumeOutput(). */
  pauseOutput(): void {
    if (this.outputHeld) return
    this.outputHeld = true
    this.child.stdout.pause()
    this.child.stderr.pause()
  }

  resumeOutput(): void {
    if (!this.outputHeld) return
    this.outputHeld = false
    this.child.stdout.resume()
    this.child.stderr.resume()
    if (this.exitInfo) this.armDrain()
  }

  private read(stream: NodeJS.ReadableStream, name: OutputStream): void {
    const reader = new LineReader({ maxLineBytes: this.opts.maxLineBytes })
    stream.on('data', (chunk: Buffer) => {
      for (const l of reader.push(chunk)) this.onRawLine(l.text, name, l.truncatedFromBytes)
      if (this.exitInfo) this.armDrain()
    })
    stream.on('end', () => {
      for (const l of reader.end()) this.onRawLine(l.text, name, l.truncatedFromBytes)
      this.onStreamClosed()
    })
    stream.on('error', () => undefined) // 'close' follows; nothing else to do
  }

  private onRawLine(text: string, stream: OutputStream, truncatedFrom: number | undefined): void {
    if (this.linesSeen++ === 0) {
      this.timingsValue.firstOutputAt = Date.now()
      this.timingsValue.firstOutputMs = this.timingsValue.firstOutputAt - this.timingsValue.spawnedAt
      this.clear('startupTimer')
    }
    if (stream === 'stdout') this.stdoutLines++
    const line = classifyLine(text, stream)
    const events = this.opts.parse(line)
    this.emit('line', line, events)
    if (truncatedFrom !== undefined) {
      this.emit('line', noticeLine(truncationNotice({ text, truncatedFromBytes: truncatedFrom }, this.opts.maxLineBytes)), [])
    }
    // Claude's own result shape, for callers that want its details.
    const result = this.opts.input.kind === 'stream' ? parseResult(line) : undefined
    if (result) this.emit('result', result, line)
    for (const ev of events) this.onEvent(ev)
  }

  private onEvent(ev: AgentEvent): void {
    if (ev.kind === 'session_started' && ev.sessionId !== this.sessionIdValue) {
      this.sessionIdValue = ev.sessionId
      this.emit('sessionId', ev.sessionId)
    }
    // queuedTurns > 0: more results follow for messages sent mid-turn; keep stdin open.
    if (ev.kind === 'turn_completed' && this.opts.closeStdinOnResult && ev.queuedTurns === 0) {
      this.resultSeen = true
      this.closeInput()
    }
  }

  private armAfterResult(): void {
    if (this.exitInfo || this.paused || this.afterResultTimer !== undefined) return
    this.resultSeen = true
    this.afterResultTimer = this.timers.setTimeout(() => {
      this.afterResultTimer = undefined
      if (!this.isRunning) return
      this.emit('line', noticeLine(`${this.name} did not exit ${Math.round(this.opts.exitAfterResultMs / 1000)} s after its result; stopping it.`), [])
      void this.stop('hang-after-result')
    }, this.opts.exitAfterResultMs)
  }

  private onStartupTimeout(): void {
    this.startupTimer = undefined
    if (this.warned || this.linesSeen > 0 || !this.isRunning) return
    this.warned = true
    this.emit('line', noticeLine(STARTUP_WARNING_TEXT.replace('Claude Code', this.name)), [])
    this.emit('startupSlow')
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exitInfo = { code, signal }
    this.timingsValue.exitedAt = Date.now()
    this.paused = false
    this.clear('startupTimer')
    this.clear('afterResultTimer')
    this.stdinOpen = false
    // Tools the agent left running would keep our pipes open: end the rest of its group.
    if (this.pid !== undefined) {
      void waitGroupGone(this.pid, 0).then((gone) => (gone ? undefined : terminateGroup(this.pid!, this.opts.killGraceMs)))
    }
    if (this.streamsOpen === 0) this.complete(this.exitInfo)
    else this.armDrain()
  }

  private onStreamClosed(): void {
    this.streamsOpen--
    if (this.streamsOpen === 0 && this.exitInfo) this.complete(this.exitInfo)
  }

  /**
   * After exit, output still in the pipes is read to its end. A process outside the group could
   * hold a pipe open forever, so stop waiting after 2 s without data (not while output is held).
   */
  private armDrain(): void {
    this.clear('drainTimer')
    if (this.finished || this.outputHeld) return
    this.drainTimer = this.timers.setTimeout(() => {
      this.drainTimer = undefined
      if (this.finished || this.outputHeld || !this.exitInfo) return
      this.child.stdout.destroy()
      this.child.stderr.destroy()
      this.complete(this.exitInfo)
    }, 2_000)
  }

  private complete(info: { code: number | null; signal: NodeJS.Signals | null }, spawnError?: string): void {
    if (this.finished) return
    this.finished = true
    for (const t of ['startupTimer', 'afterResultTimer', 'drainTimer'] as const) this.clear(t)
    const exit: AgentExit = { ...info, beforeOutput: this.stdoutLines === 0 }
    if (spawnError !== undefined) exit.spawnError = spawnError
    if (this.stoppedBy) exit.stoppedBy = this.stoppedBy
    if (spawnError !== undefined) {
      this.emit('line', noticeLine(`Error: could not start ${this.name} (${this.opts.command}): ${spawnError}`), [])
    } else if (exit.beforeOutput && !this.stoppedBy) {
      this.emit('line', noticeLine(`Error: ${this.name} exited before it started (${describeExit(exit)})`), [])
    }
    this.emit('exit', exit)
    this.resolveExit(exit)
  }

  private clear(name: 'startupTimer' | 'afterResultTimer' | 'drainTimer'): void {
    if (this[name] !== undefined) this.timers.clearTimeout(this[name])
    this[name] = undefined
  }

  private emit<K extends keyof Listeners>(event: K, ...args: Parameters<Listeners[K]>): void {
    for (const fn of this.listeners[event]) (fn as (...a: Parameters<Listeners[K]>) => void)(...args)
  }
}

export function describeExit(e: Pick<AgentExit, 'code' | 'signal'>): string {
  return e.signal ? `terminated by signal ${e.signal}` : `exit code ${e.code}`
}
