// One WebSocket to the Makima server: URL rule, authenticate-first, heartbeat, ping/pong liveness,
// reconnect with exponential backoff and jitter, connection state as an event. It knows nothing
// about tasks: parsed commands go to onCommand, and the outbox pump sends through send()/ack().
import WebSocket from 'ws'
import type { Logger } from '../log/logger'
import { describeProblem, encodeMessage, MAX_FRAME_BYTES, parseCommandFrame, type Command, type FrameProblem } from './protocol'

export const MAX_RECONNECT_DELAY_MS = 60_000
/** ws closes the socket above this; frames between MAX_FRAME_BYTES and this are refused but the
 * connection is kept. The hard cap only protects memory. */
const HARD_PAYLOAD_CAP = 64 * 1024 * 1024
const JITTER = 0.25

export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting'; url: string; attempt: number }
  | { kind: 'authenticating'; url: string }
  | { kind: 'connected'; url: string; daemonId: string }
  | { kind: 'reconnecting'; url: string; attempt: number; delayMs: number; reason: string }
  | { kind: 'auth-failed'; url: string; message: 'Authentication failed'; detail: string; attempt: number; delayMs: number }
  | { kind: 'stopped' }

export interface ConnectionOptions {
  url: string
  apiKey: string
  machineId: string
  hostname: string
  maxConcurrentTasks: number
  version?: string
  heartbeatIntervalMs: number
  reconnectIntervalMs: number
  maxReconnectDelayMs?: number
  /** A liveness ping goes out this often; no pong within pongTimeoutMs ends the socket. */
  pingIntervalMs?: number
  pongTimeoutMs?: number
  /** No `authenticated` within this time after connecting ends the socket. */
  authTimeoutMs?: number
  handshakeTimeoutMs?: number
  activeTaskIds: () => readonly string[]
  log: Logger
  random?: () => number
}

/** `wss://host` and `wss://host/` mean `wss://host/ws/daemon`; a URL with a path is used as given.
 * http(s) URLs are accepted as ws(s). Throws for a URL that is not ws, wss, http or https. */
export function resolveServerUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new Error(`server URL "${raw}" is not a valid URL`)
  }
  const scheme = { 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' }[url.protocol]
  if (!scheme) throw new Error(`server URL "${raw}" must start with ws://, wss://, http:// or https://`)
  url.protocol = scheme
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/ws/daemon'
  return url.toString()
}

/** Delay before reconnect attempt `attempt` (0-based): base·2^attempt capped at max, then up to 25%
 * less at random so many daemons do not return at the same instant. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const nominal = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30))
  return Math.round(nominal * (1 - JITTER * random()))
}

type Listener<T> = (value: T) => void

export class ServerConnection {
  readonly url: string
  private ws: WebSocket | null = null
  private stateValue: ConnectionState = { kind: 'idle' }
  private attempt = 0
  private authenticated = false
  private authFailedDetail: string | null = null
  private reconnectTimer: NodeJS.Timeout | null = null
  private heartbeatTimer: NodeJS.Timeout | null = null
  private pingTimer: NodeJS.Timeout | null = null
  private authTimer: NodeJS.Timeout | null = null
  private pingsOutstanding: number[] = []
  private lastPingAt = 0
  /** When bytes last arrived from the server: a server still sending is alive, pong or not. */
  private lastReceivedAt = 0
  private stopped = false
  private readonly stateListeners = new Set<Listener<ConnectionState>>()
  private readonly commandListeners = new Set<Listener<Command>>()
  private readonly problemListeners = new Set<Listener<FrameProblem>>()
  private readonly readyListeners = new Set<() => void>()
  private readonly downListeners = new Set<() => void>()
  private readonly ackListeners = new Set<Listener<number>>()
  private readonly random: () => number
  private readonly log: Logger
  private readonly ignoredInWindow = new Map<FrameProblem['kind'], number>()
  private ignoredWindowStart = 0

  constructor(private readonly opts: ConnectionOptions) {
    this.url = resolveServerUrl(opts.url)
    this.log = opts.log
    this.random = opts.random ?? Math.random
    opts.log.redactor.addSecret(opts.apiKey)
  }

  get state(): ConnectionState {
    return this.stateValue
  }

  get isReady(): boolean {
    return this.authenticated && this.ws?.readyState === WebSocket.OPEN
  }

  /** Bytes queued in the socket but not yet written to the OS. */
  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0
  }

  onState(l: Listener<ConnectionState>): () => void {
    return add(this.stateListeners, l)
  }
  onCommand(l: Listener<Command>): () => void {
    return add(this.commandListeners, l)
  }
  /** Frames that were ignored; `invalid-fields` problems may name a task to answer. */
  onProblem(l: Listener<FrameProblem>): () => void {
    return add(this.problemListeners, l)
  }
  /** After every `authenticated`. */
  onReady(l: () => void): () => void {
    return add(this.readyListeners, l)
  }
  /** When an authenticated socket is gone. */
  onDown(l: () => void): () => void {
    return add(this.downListeners, l)
  }
  /** The server has read everything sent before ack(token). */
  onAck(l: Listener<number>): () => void {
    return add(this.ackListeners, l)
  }

  start(): void {
    if (this.stopped || this.ws || this.reconnectTimer) return
    this.open()
  }

  /** Sends one frame on the authenticated socket; false when there is none. `done` runs once the
   * frame has been handed to the OS (or failed). */
  send(frame: string, done?: (err?: Error) => void): boolean {
    if (!this.isReady) return false
    this.ws!.send(frame, done)
    return true
  }

  /** Pings with a token; TCP and WebSocket keep order, so its pong proves the server read every
   * frame sent before it. */
  ack(token: number): void {
    if (!this.isReady) return
    this.ping(`a${token}`)
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.clearTimers()
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
    const ws = this.ws
    this.ws = null
    const wasReady = this.authenticated
    this.authenticated = false
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          ws.terminate()
          resolve()
        }, 2000)
        ws.once('close', () => {
          clearTimeout(t)
          resolve()
        })
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate()
        else ws.close(1000, 'daemon stopping')
      })
    }
    if (wasReady) for (const l of this.downListeners) l()
    this.setState({ kind: 'stopped' })
  }

  private open(): void {
    this.setState({ kind: 'connecting', url: this.url, attempt: this.attempt })
    const ws = new WebSocket(this.url, {
      handshakeTimeout: this.opts.handshakeTimeoutMs ?? 15_000,
      maxPayload: HARD_PAYLOAD_CAP,
      perMessageDeflate: false,
    })
    this.ws = ws
    // A pong queued behind megabytes of frames arrives late; the bytes before it prove liveness.
    ws.on('upgrade', (res) => {
      res.socket.on('data', () => {
        if (ws === this.ws) this.lastReceivedAt = Date.now()
      })
    })
    this.authFailedDetail = null
    ws.on('open', () => {
      if (ws !== this.ws) return
      this.setState({ kind: 'authenticating', url: this.url })
      const { apiKey, machineId, hostname, maxConcurrentTasks, version } = this.opts
      ws.send(encodeMessage({ type: 'authenticate', apiKey, machineId, hostname, maxConcurrentTasks, version }))
      this.authTimer = setTimeout(() => {
        if (ws !== this.ws || this.authenticated) return
        this.log.warn('no answer to authenticate; reconnecting', { url: this.url })
        ws.terminate()
      }, this.opts.authTimeoutMs ?? 30_000)
      this.startPing(ws)
    })
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (ws !== this.ws) return
      this.onFrame(ws, data, isBinary)
    })
    ws.on('pong', (data: Buffer) => {
      if (ws !== this.ws) return
      this.pingsOutstanding.shift()
      const text = data.toString('utf8')
      if (text.startsWith('a')) {
        const token = Number(text.slice(1))
        if (Number.isSafeInteger(token)) for (const l of this.ackListeners) l(token)
      }
    })
    ws.on('error', (err: Error) => {
      if (ws !== this.ws) return
      const status = /Unexpected server response: (\d+)/.exec(err.message)?.[1]
      if (status === '401' || status === '403') this.authFailedDetail = `server answered HTTP ${status}`
      this.log.debug('server socket error', { url: this.url, error: err.message })
    })
    ws.on('close', (code: number, reason: Buffer) => {
      if (ws !== this.ws) return
      this.socketGone(`closed (${code}${reason.length ? ` ${reason.toString('utf8').slice(0, 200)}` : ''})`)
    })
  }

  private onFrame(ws: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
    let parsed
    if (isBinary) parsed = { ok: false as const, problem: { kind: 'binary' } as FrameProblem }
    else if (buf.length > MAX_FRAME_BYTES) parsed = { ok: false as const, problem: { kind: 'oversized', bytes: buf.length } as FrameProblem }
    else parsed = parseCommandFrame(buf.toString('utf8'))
    if (!parsed.ok) {
      this.ignored(parsed.problem)
      for (const l of this.problemListeners) l(parsed.problem)
      return
    }
    const cmd = parsed.command
    if (cmd.type === 'authenticated') {
      if (this.authenticated) return
      this.authenticated = true
      this.attempt = 0
      if (this.authTimer) clearTimeout(this.authTimer)
      this.authTimer = null
      this.setState({ kind: 'connected', url: this.url, daemonId: cmd.daemonId })
      this.startHeartbeat(ws)
      for (const l of this.readyListeners) l()
      return
    }
    if (cmd.type === 'error') {
      if (!this.authenticated) {
        this.authFailedDetail = `${cmd.code}: ${cmd.message}`.slice(0, 300)
        ws.close(1000, 'authentication failed')
        return
      }
      this.log.warn('server reported an error', { code: cmd.code, message: cmd.message.slice(0, 500) })
      return
    }
    if (!this.authenticated) {
      this.log.warn('command before authentication ignored', { type: cmd.type })
      return
    }
    for (const l of this.commandListeners) l(cmd)
  }

  /** Logs ignored frames, at most 20 of each kind per 10 s, then one summary: 10,000 bad frames
   * must not flood the log, nor hide a rarer kind behind a common one. */
  private ignored(problem: FrameProblem): void {
    const now = Date.now()
    if (now - this.ignoredWindowStart > 10_000) {
      for (const [kind, n] of this.ignoredInWindow) if (n > 20) this.log.warn('more frames ignored', { kind, count: n - 20 })
      this.ignoredWindowStart = now
      this.ignoredInWindow.clear()
    }
    const n = (this.ignoredInWindow.get(problem.kind) ?? 0) + 1
    this.ignoredInWindow.set(problem.kind, n)
    if (n <= 20) this.log.warn('frame from server ignored', { reason: describeProblem(problem) })
  }

  private socketGone(reason: string): void {
    const wasReady = this.authenticated
    this.ws = null
    this.authenticated = false
    this.clearTimers()
    if (wasReady) for (const l of this.downListeners) l()
    if (this.stopped) return
    const delayMs = backoffDelay(this.attempt, this.opts.reconnectIntervalMs, this.opts.maxReconnectDelayMs ?? MAX_RECONNECT_DELAY_MS, this.random)
    const attempt = ++this.attempt
    if (this.authFailedDetail !== null) {
      const detail = this.authFailedDetail
      this.log.error('Authentication failed', { url: this.url, detail, retryInMs: delayMs })
      this.setState({ kind: 'auth-failed', url: this.url, message: 'Authentication failed', detail, attempt, delayMs })
    } else {
      this.log.info('server connection lost; reconnecting', { url: this.url, reason, retryInMs: delayMs })
      this.setState({ kind: 'reconnecting', url: this.url, attempt, delayMs, reason })
    }
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      if (!this.stopped) this.open()
    }, delayMs)
  }

  private startHeartbeat(ws: WebSocket): void {
    const beat = () => {
      if (ws !== this.ws || !this.authenticated) return
      let activeTasks: readonly string[]
      try {
        activeTasks = this.opts.activeTaskIds()
      } catch (err) {
        this.log.error('could not list active tasks for the heartbeat', { error: err })
        activeTasks = []
      }
      ws.send(encodeMessage({ type: 'heartbeat', activeTasks: [...activeTasks] }))
    }
    beat()
    this.heartbeatTimer = setInterval(beat, this.opts.heartbeatIntervalMs)
  }

  private startPing(ws: WebSocket): void {
    const interval = this.opts.pingIntervalMs ?? 15_000
    const timeout = this.opts.pongTimeoutMs ?? 20_000
    this.pingTimer = setInterval(() => {
      if (ws !== this.ws) return
      const oldest = this.pingsOutstanding[0]
      if (oldest !== undefined && Date.now() - Math.max(oldest, this.lastReceivedAt) > timeout) {
        this.log.warn('server stopped answering pings; reconnecting', { url: this.url, waitedMs: Date.now() - oldest })
        ws.terminate()
        return
      }
      if (oldest === undefined && Date.now() - this.lastPingAt >= interval) this.ping('l')
    }, Math.max(50, Math.min(interval, timeout / 2)))
  }

  private ping(data: string): void {
    const ws = this.ws
    if (!ws || ws.readyState !== WebSocket.OPEN) return
    this.lastPingAt = Date.now()
    this.pingsOutstanding.push(this.lastPingAt)
    ws.ping(data)
  }

  private clearTimers(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer)
    if (this.pingTimer) clearInterval(this.pingTimer)
    if (this.authTimer) clearTimeout(this.authTimer)
    this.heartbeatTimer = this.pingTimer = this.authTimer = null
    this.pingsOutstanding = []
  }

  private setState(s: ConnectionState): void {
    this.stateValue = s
    for (const l of this.stateListeners) {
      try {
        l(s)
      } catch (err) {
        this.log.error('connection state listener failed', { error: err })
      }
    }
  }
}

function add<T>(set: Set<T>, l: T): () => void {
  set.add(l)
  return () => set.delete(l)
}
