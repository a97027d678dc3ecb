// The in-app login: `<agent command> setup-token` runs in a PTY (it is an Ink TUI and needs a
// terminal); we read its login URL, hand it to the user, write the code they paste back, and catch
// the long-lived token it prints. One flow at a time: a second request joins the pending one.
// The PTY output is never logged — it echoes the code and prints the token.
import { hostname as osHostname } from 'node:os'
import type { Logger } from '../log/logger'
import type { Redactor } from '../log/redact'
import { AnsiStripper } from './ansi'
import { findLoginUrl } from './login-url'
import { extractToken, lastSignal, screenSignals } from './setup-token-screen'
import type { TokenStore } from './token-store'
import { spawnPty, type PtyLike, type PtySpawner } from './pty'
import { realTimers, type Timers } from './timers'
import { fallbackNotice, type AuthenticationRequired, type LoginFailure, type LoginStartOutcome, type LoginState, type SubmitCodeOutcome } from './login-state'

export { fallbackNotice, type AuthenticationRequired, type LoginFailure, type LoginStartOutcome, type LoginState, type SubmitCodeOutcome } from './login-state'

export interface LoginFlowOptions {
  /** The agent command (config.process.claudeCommand) and any arguments before `setup-token`. */
  command: string
  preArgs?: string[]
  env?: NodeJS.ProcessEnv
  cwd?: string
  tokens: TokenStore
  redactor: Redactor
  log: Logger
  hostname?: string
  timers?: Timers
  spawn?: PtySpawner
  urlTimeoutMs?: number
  codeTimeoutMs?: number
  secondEnterDelayMs?: number
  /** How long after a "Press Enter to retry" screen we press Enter ourselves to get the prompt back. */
  retryEnterDelayMs?: number
  /** How long the CLI may take to exit after printing the token. */
  exitGraceMs?: number
}

export const PTY_COLUMNS = 200
export const PTY_ROWS = 24
const TRANSCRIPT_LIMIT = 256 * 1024

interface Flow {
  pty: PtyLike
  taskIds: Set<string>
  stripper: AnsiStripper
  raw: string // since the last code write: where a (new) URL is looked for
  screen: string // stripped text since the last code write
  retriesHandled: number
  /** The paste prompt is on screen below the current URL; input typed before it would be lost. */
  promptReady: boolean
  urlMark: number
  queuedCode: string | null
  timers: Set<unknown>
  codeTimer: unknown
  outcome: Promise<LoginStartOutcome>
  settle: (o: LoginStartOutcome) => void
  settled: boolean
  ended: boolean
  /** setup-token has exited: its pid is free and may name another process by now. */
  processExited: boolean
  savingToken: boolean
  dispose: () => void
}

export class LoginFlow {
  private stateValue: LoginState = { kind: 'idle' }
  private flow: Flow | null = null
  private readonly stateListeners = new Set<(s: LoginState) => void>()
  private readonly authListeners = new Set<(e: AuthenticationRequired) => void>()
  private readonly timers: Timers
  private readonly host: string
  private readonly log: Logger

  constructor(private readonly opts: LoginFlowOptions) {
    this.timers = opts.timers ?? realTimers
    this.host = opts.hostname ?? osHostname()
    this.log = opts.log.child('login')
  }

  get state(): LoginState {
    return this.stateValue
  }

  get pending(): boolean {
    const k = this.stateValue.kind
    return k === 'starting' || k === 'awaiting-code' || k === 'verifying'
  }

  onStateChange(listener: (s: LoginState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  onAuthenticationRequired(listener: (e: AuthenticationRequired) => void): () => void {
    this.authListeners.add(listener)
    return () => this.authListeners.delete(listener)
  }

  /** Starts a login, or joins the pending one. Resolves once the URL is known (or cannot be). */
  start(request: { taskId?: string } = {}): Promise<LoginStartOutcome> {
    const flow = this.flow
    if (flow && this.pending) {
      const isNew = request.taskId !== undefined && !flow.taskIds.has(request.taskId)
      if (request.taskId !== undefined) flow.taskIds.add(request.taskId)
      const s = this.stateValue
      if (s.kind === 'awaiting-code' || s.kind === 'verifying') {
        if (isNew) {
          this.setState({ ...s, taskIds: [...flow.taskIds] })
          this.emitAuth({ taskId: request.taskId, loginUrl: s.loginUrl, hostname: this.host })
        }
        return Promise.resolve({ kind: 'url', loginUrl: s.loginUrl, hostname: this.host, joined: true })
      }
      if (s.kind === 'starting' && isNew) this.setState({ ...s, taskIds: [...flow.taskIds] })
      return flow.outcome.then((o) => (o.kind === 'url' ? { ...o, joined: true } : o))
    }
    return this.begin(request.taskId)
  }

  /** Writes the pasted code (`code#state`) to the TUI: Enter, and one more Enter a moment later
   * in case the first was swallowed while Ink was still reading the paste. */
  submitCode(rawCode: string): SubmitCodeOutcome {
    const code = rawCode.trim()
    if (!code) return { kind: 'empty' }
    this.opts.redactor.addSecret(code)
    for (const part of code.split('#')) this.opts.redactor.addSecret(part)
    const flow = this.flow
    const s = this.stateValue
    if (!flow || !this.pending) return { kind: 'no-pending-flow' }
    if (s.kind !== 'awaiting-code') return { kind: 'not-ready', state: s.kind }
    if (flow.promptReady) this.writeCode(flow, code)
    else flow.queuedCode = code // written as soon as the prompt is drawn
    const attempt = s.attempt + 1
    this.setState({ kind: 'verifying', taskIds: s.taskIds, loginUrl: s.loginUrl, hostname: s.hostname, attempt })
    this.log.info('login code written', { attempt, length: code.length })
    return { kind: 'written', attempt }
  }

  private writeCode(flow: Flow, code: string): void {
    flow.queuedCode = null
    flow.raw = ''
    flow.screen = ''
    flow.urlMark = 0
    flow.retriesHandled = 0
    flow.pty.write(`${code}\r`)
    this.after(flow, this.opts.secondEnterDelayMs ?? 100, () => flow.pty.write('\r'))
  }

  /** Ends the pending flow; false when there was none. */
  cancel(): boolean {
    if (!this.flow || !this.pending) return false
    this.fail(this.flow, 'cancelled', 'Login cancelled.')
    return true
  }

  /** Stops everything this object owns (for core shutdown). */
  dispose(): void {
    if (this.flow) this.finish(this.flow)
    this.stateListeners.clear()
    this.authListeners.clear()
  }

  private begin(taskId: string | undefined): Promise<LoginStartOutcome> {
    let settle!: (o: LoginStartOutcome) => void
    const outcome = new Promise<LoginStartOutcome>((resolve) => (settle = resolve))
    const taskIds = new Set(taskId !== undefined ? [taskId] : [])
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(this.opts.env ?? process.env)) if (v !== undefined) env[k] = v
    // No browser (so the URL is printed), no colours or terminal features worth drawing.
    Object.assign(env, { BROWSER: 'false', TERM: 'dumb', NO_COLOR: '1' })
    let pty: PtyLike
    try {
      pty = (this.opts.spawn ?? spawnPty)(this.opts.command, [...(this.opts.preArgs ?? []), 'setup-token'], {
        cols: PTY_COLUMNS,
        rows: PTY_ROWS,
        cwd: this.opts.cwd ?? process.cwd(),
        env,
      })
    } catch (err) {
      this.log.error('could not start setup-token', { error: err })
      const message = `Could not start '${this.opts.command} setup-token': ${(err as Error).message}`
      this.setState({ kind: 'failed', taskIds: [...taskIds], reason: 'spawn-failed', message, at: this.timers.now() })
      return Promise.resolve({ kind: 'unavailable', reason: 'spawn-failed', notice: fallbackNotice(this.host) })
    }
    const flow: Flow = {
      pty, taskIds, stripper: new AnsiStripper(), raw: '', screen: '', retriesHandled: 0, promptReady: false, urlMark: 0, queuedCode: null, timers: new Set(),
      codeTimer: null, outcome, settle, settled: false, ended: false, processExited: false, savingToken: false, dispose: () => {},
    }
    const subs = [pty.onData((d) => this.onData(flow, d)), pty.onExit((e) => this.onExit(flow, e.exitCode))]
    flow.dispose = () => subs.forEach((s) => s.dispose())
    this.flow = flow
    this.log.info('setup-token started', { pid: pty.pid, tasks: [...taskIds] })
    this.setState({ kind: 'starting', taskIds: [...taskIds], startedAt: this.timers.now() })
    this.after(flow, this.opts.urlTimeoutMs ?? 30_000, () => {
      if (this.stateValue.kind === 'starting') this.fail(flow, 'no-url', fallbackNotice(this.host))
    })
    return outcome
  }

  private onData(flow: Flow, data: string): void {
    if (flow.ended) return
    flow.raw = tail(flow.raw + data)
    const screen = flow.screen + flow.stripper.push(data)
    flow.screen = tail(screen)
    flow.urlMark = Math.max(0, flow.urlMark - (screen.length - flow.screen.length))
    this.onScreen(flow)
    if (!flow.promptReady && flow.screen.indexOf('Paste code here', flow.urlMark) >= 0) {
      flow.promptReady = true
      if (flow.queuedCode !== null && !flow.ended) this.writeCode(flow, flow.queuedCode)
    }
  }

  private onScreen(flow: Flow): void {
    const s = this.stateValue
    if (s.kind === 'starting') {
      const url = findLoginUrl(flow.raw, PTY_COLUMNS)
      if (url) this.awaitCode(flow, url, 0, null, true)
      return
    }
    if (s.kind === 'awaiting-code' || (s.kind === 'verifying' && flow.queuedCode !== null)) {
      // After a retry the CLI starts a fresh authorization: a new URL replaces the old one.
      const url = findLoginUrl(flow.raw, PTY_COLUMNS)
      if (url && url !== s.loginUrl) {
        if (s.kind === 'awaiting-code') this.awaitCode(flow, url, s.attempt, s.error, false)
        else {
          this.setState({ ...s, loginUrl: url })
          this.markUrl(flow)
        }
      }
      this.pressEnterOnRetryScreen(flow)
      return
    }
    if (s.kind !== 'verifying') return
    const token = extractToken(flow.screen)
    if (token?.complete) return void this.saveToken(flow, token.token)
    if (token) return
    const signals = screenSignals(flow.screen)
    const error = lastSignal(signals, 'code-error')
    if (error) {
      this.log.warn('login code rejected', { attempt: s.attempt, message: error.message })
      this.awaitCode(flow, findLoginUrl(flow.raw, PTY_COLUMNS) ?? s.loginUrl, s.attempt, error.message, false)
      this.pressEnterOnRetryScreen(flow)
    }
  }

  /** "Press Enter to retry" with no prompt after it: press Enter (once per such screen, after a
   * pause so that the extra Enter from submitCode is not doubled) to get back to the prompt. */
  private pressEnterOnRetryScreen(flow: Flow): void {
    const signals = screenSignals(flow.screen)
    const retries = signals.filter((x) => x.kind === 'retry-prompt').length
    if (retries <= flow.retriesHandled) return
    flow.retriesHandled = retries
    // Input typed now would be lost: a code pasted meanwhile waits for the prompt to come back.
    flow.urlMark = lastSignal(signals, 'retry-prompt')!.at
    flow.promptReady = false
    this.after(flow, this.opts.retryEnterDelayMs ?? 400, () => {
      const now = screenSignals(flow.screen)
      const retry = lastSignal(now, 'retry-prompt')
      const prompt = lastSignal(now, 'prompt')
      const waiting = this.stateValue.kind === 'awaiting-code' || flow.queuedCode !== null
      if (retry && (!prompt || prompt.at < retry.at) && waiting) flow.pty.write('\r')
    })
  }

  private awaitCode(flow: Flow, loginUrl: string, attempt: number, error: string | null, first: boolean): void {
    if (flow.codeTimer !== null) this.cancelTimer(flow, flow.codeTimer)
    const timeoutMs = this.opts.codeTimeoutMs ?? 600_000
    flow.codeTimer = this.after(flow, timeoutMs, () => {
      if (this.stateValue.kind === 'awaiting-code' || this.stateValue.kind === 'verifying') {
        this.fail(flow, 'code-timeout', 'No login code arrived within 10 minutes; the login was abandoned.')
      }
    })
    const taskIds = [...flow.taskIds]
    const previous = 'loginUrl' in this.stateValue ? this.stateValue.loginUrl : null
    if (loginUrl !== previous) this.markUrl(flow)
    this.setState({ kind: 'awaiting-code', taskIds, loginUrl, hostname: this.host, attempt, error, expiresAt: this.timers.now() + timeoutMs })
    if (first) {
      this.log.info('login URL ready', { tasks: taskIds })
      flow.settled = true
      flow.settle({ kind: 'url', loginUrl, hostname: this.host, joined: false })
      if (taskIds.length === 0) this.emitAuth({ loginUrl, hostname: this.host })
      for (const taskId of taskIds) this.emitAuth({ taskId, loginUrl, hostname: this.host })
    }
  }

  /** A (new) URL is on screen: the code must wait for the prompt drawn below it. */
  private markUrl(flow: Flow): void {
    flow.urlMark = Math.max(0, flow.screen.lastIndexOf('https://'))
    flow.promptReady = false
  }

  private saveToken(flow: Flow, token: string): void {
    if (flow.savingToken) return
    flow.savingToken = true
    this.opts.redactor.addSecret(token)
    this.log.info('login token received', { length: token.length })
    this.opts.tokens.save(token).then(
      () => {
        if (flow.ended && this.stateValue.kind === 'failed') return
        this.setState({ kind: 'succeeded', taskIds: [...flow.taskIds], at: this.timers.now() })
        // The CLI exits by itself after the success screen; make sure it does.
        this.after(flow, this.opts.exitGraceMs ?? 5_000, () => this.finish(flow))
        if (flow.ended) this.finish(flow)
      },
      (err: unknown) => {
        this.log.error('could not store the login token', { error: err })
        this.fail(flow, 'store-failed', 'The login worked but the token could not be stored.')
      },
    )
  }

  private onExit(flow: Flow, exitCode: number): void {
    flow.processExited = true
    if (flow.ended) return
    flow.screen += flow.stripper.flush() + '\n'
    const token = extractToken(flow.screen)
    const s = this.stateValue
    this.log.info('setup-token exited', { exitCode, state: s.kind })
    if ((token && s.kind === 'verifying') || flow.savingToken || s.kind === 'succeeded') {
      flow.ended = true // saveToken finishes the flow once the token is stored
      if (token && !flow.savingToken && s.kind === 'verifying') this.saveToken(flow, token.token)
      else if (s.kind === 'succeeded') this.finish(flow)
      return
    }
    this.fail(flow, s.kind === 'starting' ? 'no-url' : 'exited', s.kind === 'starting' ? fallbackNotice(this.host) : `setup-token exited (code ${exitCode}) before the login finished.`)
  }

  private fail(flow: Flow, reason: LoginFailure, message: string): void {
    if (!flow.settled) {
      flow.settled = true
      flow.settle({ kind: 'unavailable', reason, notice: fallbackNotice(this.host) })
    }
    this.log.warn('login ended without a token', { reason })
    this.setState({ kind: 'failed', taskIds: [...flow.taskIds], reason, message, at: this.timers.now() })
    this.finish(flow)
  }

  /** Releases the flow's timers, listeners and process. */
  private finish(flow: Flow): void {
    flow.ended = true
    for (const t of flow.timers) this.timers.clearTimeout(t)
    flow.timers.clear()
    flow.dispose()
    // node-pty signals by pid: once setup-token has exited that pid may belong to anyone.
    if (!flow.processExited) {
      try {
        flow.pty.kill()
      } catch {
        // already gone
      }
    }
    if (this.flow === flow) this.flow = null
    if (!flow.settled) {
      flow.settled = true
      flow.settle({ kind: 'unavailable', reason: 'cancelled', notice: fallbackNotice(this.host) })
    }
  }

  private after(flow: Flow, ms: number, fn: () => void): unknown {
    const handle: unknown = this.timers.setTimeout(() => {
      flow.timers.delete(handle)
      if (!flow.ended) fn()
    }, ms)
    flow.timers.add(handle)
    return handle
  }

  private cancelTimer(flow: Flow, handle: unknown): void {
    this.timers.clearTimeout(handle)
    flow.timers.delete(handle)
  }

  private setState(s: LoginState): void {
    this.stateValue = s
    for (const l of this.stateListeners) l(s)
  }

  private emitAuth(e: AuthenticationRequired): void {
    for (const l of this.authListeners) l(e)
  }
}

function tail(s: string): string {
  return s.length > TRANSCRIPT_LIMIT ? s.slice(-TRANSCRIPT_LIMIT) : s
}
