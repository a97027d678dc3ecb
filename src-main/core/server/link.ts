// The server link: connection + persistent outbox + pump + command dispatch, built from plain
// values and ports so start.ts (or a test) wires it in a few lines. Inactive until start().
import type Database from 'better-sqlite3'
import { hostname as osHostname } from 'node:os'
import type { Logger } from '../log/logger'
import { ServerConnection, type ConnectionState } from './connection'
import { CommandDispatcher } from './dispatch'
import { loadMachineId } from './machine-id'
import { Outbox } from './outbox'
import type { GitPort, LoginPort, ProcessPort, TaskEnginePort } from './ports'
import type { Message } from './protocol'
import { OutboxPump } from './pump'

export interface ServerLinkOptions {
  url: string
  apiKey: string
  /** The machine id file lives here. */
  dataDir: string
  /** The core's SQLite database (migration 002 creates the outbox table). */
  db: Database.Database
  maxConcurrentTasks: number
  version?: string
  hostname?: string
  heartbeatIntervalSecs: number
  reconnectIntervalSecs: number
  tasks: TaskEnginePort
  git: GitPort
  login: LoginPort
  process: ProcessPort
  log: Logger
  outboxMaxBytes?: number
  /** Knobs for tests; defaults suit production. */
  tuning?: {
    machineId?: string
    maxReconnectDelayMs?: number
    pingIntervalMs?: number
    pongTimeoutMs?: number
    authTimeoutMs?: number
    random?: () => number
    heartbeatIntervalMs?: number
    reconnectIntervalMs?: number
  }
}

export class ServerLink {
  readonly machineId: string
  readonly outbox: Outbox
  readonly connection: ServerConnection
  readonly dispatcher: CommandDispatcher
  private readonly pump: OutboxPump
  private readonly disposers: (() => void)[] = []
  private readonly log: Logger
  private stopped = false

  constructor(opts: ServerLinkOptions & { machineId: string }) {
    this.log = opts.log
    this.machineId = opts.machineId
    const t = opts.tuning ?? {}
    this.outbox = new Outbox({ db: opts.db, log: opts.log.child('outbox'), maxBytes: opts.outboxMaxBytes, toolKey: (taskId) => opts.tasks.toolKey?.(taskId) })
    this.connection = new ServerConnection({
      url: opts.url,
      apiKey: opts.apiKey,
      machineId: opts.machineId,
      hostname: opts.hostname ?? osHostname(),
      maxConcurrentTasks: opts.maxConcurrentTasks,
      version: opts.version,
      heartbeatIntervalMs: t.heartbeatIntervalMs ?? opts.heartbeatIntervalSecs * 1000,
      reconnectIntervalMs: t.reconnectIntervalMs ?? opts.reconnectIntervalSecs * 1000,
      maxReconnectDelayMs: t.maxReconnectDelayMs,
      pingIntervalMs: t.pingIntervalMs,
      pongTimeoutMs: t.pongTimeoutMs,
      authTimeoutMs: t.authTimeoutMs,
      random: t.random,
      activeTaskIds: () => opts.tasks.activeTaskIds(),
      log: opts.log.child('connection'),
    })
    this.pump = new OutboxPump(this.outbox, this.connection, opts.log.child('outbox'))
    this.dispatcher = new CommandDispatcher({
      tasks: opts.tasks,
      git: opts.git,
      login: opts.login,
      process: opts.process,
      send: (m) => this.send(m),
      log: opts.log.child('dispatch'),
      beforeExit: () => this.stop(),
    })
    this.disposers.push(
      this.connection.onCommand((cmd) => void this.dispatcher.handle(cmd)),
      this.connection.onProblem((p) => this.dispatcher.handleProblem(p)),
      opts.tasks.onMessages((msgs) => this.sendMany(msgs)),
    )
  }

  get state(): ConnectionState {
    return this.connection.state
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    return this.connection.onState(listener)
  }

  start(): void {
    if (!this.stopped) this.connection.start()
  }

  /** Queues one message for the server: persisted now, sent when connected. */
  send(message: Message): void {
    this.sendMany([message])
  }

  sendMany(messages: readonly Message[]): void {
    for (const m of messages) if (m.type === 'registerToolKey') this.log.redactor.addSecret(m.key)
    try {
      this.outbox.enqueueMany(messages)
    } catch (err) {
      this.log.error('message for the server not queued', { types: [...new Set(messages.map((m) => m.type))], error: err })
    }
  }

  /** Closes the socket and stops every timer. Queued messages stay in the outbox for next time. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    for (const d of this.disposers.splice(0)) d()
    this.pump.dispose()
    await this.connection.stop()
  }
}

/** Loads (or creates) the machine id, then builds the link. Call start() to connect. */
export async function createServerLink(opts: ServerLinkOptions): Promise<ServerLink> {
  const machineId = opts.tuning?.machineId ?? (await loadMachineId(opts.dataDir, opts.log.child('server')))
  return new ServerLink({ ...opts, machineId })
}
