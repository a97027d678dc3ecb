// Moves outbox rows onto the authenticated socket, oldest first. A row leaves the outbox only when a
// ping sent after it has been answered: the server has then read it, so a server killed mid-stream
// loses nothing — after the next `authenticated` everything unconfirmed is sent again, in order,
// before anything newer (only the in-flight tail may repeat).
import type { Logger } from '../log/logger'
import type { ServerConnection } from './connection'
import type { Outbox } from './outbox'

export interface PumpOptions {
  /** Rows read from SQLite per step. */
  batchSize?: number
  /** Stop writing while the socket holds more than this many unsent bytes. */
  highWaterBytes?: number
}

export class OutboxPump {
  private sentThrough = 0
  private confirmedThrough = 0
  private ackOutstanding = false
  private scheduled: NodeJS.Immediate | null = null
  private waitingForDrain = false
  private readonly disposers: (() => void)[] = []
  private readonly batchSize: number
  private readonly highWater: number

  constructor(
    private readonly outbox: Outbox,
    private readonly conn: ServerConnection,
    private readonly log: Logger,
    opts: PumpOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 256
    this.highWater = opts.highWaterBytes ?? 4 * 1024 * 1024
    this.disposers.push(
      conn.onReady(() => {
        // A new session starts from the oldest unconfirmed row: the backlog goes first.
        this.reset()
        this.schedule()
      }),
      conn.onDown(() => this.reset()),
      conn.onAck((seq) => this.acked(seq)),
      outbox.onEnqueued(() => this.schedule()),
    )
  }

  dispose(): void {
    for (const d of this.disposers.splice(0)) d()
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = null
  }

  private reset(): void {
    this.sentThrough = 0
    this.confirmedThrough = 0
    this.ackOutstanding = false
    this.waitingForDrain = false
    this.outbox.setInFlightThrough(0)
  }

  private schedule(): void {
    if (this.scheduled || this.waitingForDrain) return
    this.scheduled = setImmediate(() => {
      this.scheduled = null
      this.pump()
    })
  }

  private pump(): void {
    if (!this.conn.isReady) return
    try {
      while (this.conn.bufferedAmount < this.highWater) {
        const rows = this.outbox.nextBatch(this.sentThrough, this.batchSize)
        if (rows.length === 0) break
        for (let i = 0; i < rows.length - 1; i++) this.conn.send(rows[i]!.frame)
        const last = rows[rows.length - 1]!
        this.conn.send(last.frame, () => this.drained())
        this.sentThrough = last.seq
        this.outbox.setInFlightThrough(this.sentThrough)
        if (!this.ackOutstanding) this.requestAck()
      }
      if (this.conn.bufferedAmount >= this.highWater) this.waitingForDrain = true
    } catch (err) {
      this.log.error('sending the outbox failed', { error: err })
    }
  }

  private drained(): void {
    if (!this.waitingForDrain) return
    this.waitingForDrain = false
    this.schedule()
  }

  private requestAck(): void {
    this.ackOutstanding = true
    this.conn.ack(this.sentThrough)
  }

  private acked(seq: number): void {
    this.ackOutstanding = false
    if (seq > this.confirmedThrough) {
      this.confirmedThrough = seq
      this.outbox.confirm(seq)
    }
    if (this.sentThrough > this.confirmedThrough) this.requestAck()
  }
}
