// Output of one terminal on its way to the renderer: batched (a few ms or 64 KiB per event; the
// first chunk after a quiet spell goes at once, so typing echoes without delay) and
// flow-controlled the way VS Code's pty host does it. The renderer acknowledges what it has drawn;
// while more than `highWater` is emitted-but-unacknowledged (plus still buffered), the pty is
// paused, so a flood (`yes`) blocks the child on a full tty instead of growing our memory.
// Sizes count UTF-16 code units of the data strings (what the renderer sees as `data.length`).

export interface FlowOptions {
  /** Longest an output chunk waits before it is sent. */
  batchMs: number
  /** A batch this large is sent at once. */
  batchChars: number
  /** Pause the pty above this much unacknowledged + buffered output. */
  highWater: number
  /** Resume once it is back under this. */
  lowWater: number
  /** Paused this long with no acknowledgement: the view is gone, stop waiting for it. */
  staleMs: number
}

export const DEFAULT_FLOW: FlowOptions = { batchMs: 5, batchChars: 64 * 1024, highWater: 100 * 1024, lowWater: 32 * 1024, staleMs: 5_000 }

export interface FlowSink {
  /** `watched`: whether a view draws it (else it is only kept in the scrollback). */
  emit(data: string, watched: boolean): void
  pause(): void
  resume(): void
}

export interface FlowStats {
  /** Read from the pty, not yet sent. */
  buffered: number
  /** Sent, not yet acknowledged. */
  unacked: number
  paused: boolean
  /** Totals since the terminal opened. */
  sent: number
  acked: number
}

export class OutputFlow {
  private chunks: string[] = []
  private buffered = 0
  private unacked = 0
  private sent = 0
  private acked = 0
  private paused = false
  /** Whether a view draws this output (and acknowledges it); unwatched output flows freely. The
   *  view that opened a terminal watches it. */
  private watched = true
  private staleTimer: NodeJS.Timeout | null = null
  private timer: NodeJS.Timeout | null = null
  private disposed = false

  constructor(
    private readonly sink: FlowSink,
    private readonly opts: FlowOptions = DEFAULT_FLOW,
  ) {}

  push(data: string): void {
    if (this.disposed || data.length === 0) return
    this.chunks.push(data)
    this.buffered += data.length
    if (this.buffered >= this.opts.batchChars) this.flush()
    else if (!this.timer) {
      // Leading edge: send now, then gather whatever follows for batchMs.
      this.flush()
      this.openWindow()
    }
    this.check()
  }

  /** Sends whatever is buffered now (also before an exit is reported). */
  flush(): void {
    if (this.disposed || this.buffered === 0) return
    const data = this.chunks.length === 1 ? this.chunks[0]! : this.chunks.join('')
    this.chunks = []
    const n = this.buffered
    this.unacked += n
    this.sent += n
    this.buffered = 0
    this.sink.emit(data, this.watched)
    if (!this.watched) this.ack(n)
  }

  get isWatched(): boolean {
    return this.watched
  }

  /** A view draws this output from now on: acknowledgements count from here. */
  watch(): void {
    this.ack(this.unacked)
    this.watched = true
  }

  /** No view draws it (switched away, closed): the shell runs on, its output only kept. */
  unwatch(): void {
    this.watched = false
    this.ack(this.unacked)
  }

  /** The renderer has processed `chars` more; acknowledging more than was sent counts as all. */
  ack(chars: number): void {
    if (this.disposed) return
    const n = Math.min(Math.max(0, Math.floor(chars)), this.unacked)
    this.unacked -= n
    this.acked += n
    if (this.staleTimer) clearTimeout(this.staleTimer)
    this.staleTimer = null
    this.check()
  }

  stats(): FlowStats {
    return { buffered: this.buffered, unacked: this.unacked, paused: this.paused, sent: this.sent, acked: this.acked }
  }

  dispose(): void {
    if (this.staleTimer) clearTimeout(this.staleTimer)
    this.staleTimer = null
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.disposed = true
    this.chunks = []
  }

  private openWindow(): void {
    this.timer = setTimeout(() => {
      this.timer = null
      if (this.buffered === 0) return // quiet: the next chunk goes out at once
      this.flush()
      this.openWindow()
    }, this.opts.batchMs)
  }

  private check(): void {
    const outstanding = this.unacked + this.buffered
    if (!this.paused && outstanding > this.opts.highWater) {
      this.paused = true
      this.sink.pause()
      // A view that went away without saying so (a reload, a closed window) never acks again.
      if (this.opts.staleMs > 0) {
        this.staleTimer = setTimeout(() => this.unwatch(), this.opts.staleMs)
        this.staleTimer.unref()
      }
    } else if (this.paused && outstanding <= this.opts.lowWater) {
      this.paused = false
      this.sink.resume()
    }
  }
}
