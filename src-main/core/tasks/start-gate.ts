// Agent launches, a few at a time. Spawning a child blocks the event loop while the kernel forks
// (41 % of the core's busy time when 100 tasks started at once), so a burst of starts is run at
// most `max` at a time, FIFO, with a turn of the event loop between one launch and the next: bridge
// requests and output are served in the gaps. A task stopped while it waits leaves the queue.

export type GateOutcome<T> = { kind: 'ran'; value: T } | { kind: 'cancelled' }

/** Launches in progress at once by default. */
export const DEFAULT_MAX_CONCURRENT_STARTS = 4

interface Waiter {
  key: string
  go: (run: boolean) => void
}

export class StartGate {
  private running = 0
  // Bounded by the tasks holding concurrency slots: each waits here at most once at a time.
  private readonly waiting: Waiter[] = []

  constructor(private readonly max = DEFAULT_MAX_CONCURRENT_STARTS) {}

  /** Runs `fn` once a turn is free; `cancelled` when cancel(key) came first (fn never runs). */
  async run<T>(key: string, fn: () => Promise<T>): Promise<GateOutcome<T>> {
    if (this.running < this.max) this.running++
    else if (!(await new Promise<boolean>((go) => this.waiting.push({ key, go })))) return { kind: 'cancelled' }
    try {
      return { kind: 'ran', value: await fn() }
    } finally {
      // Let the loop poll I/O before the next spawn; then the turn passes straight on.
      await new Promise<void>((r) => setImmediate(r))
      const next = this.waiting.shift()
      if (next) next.go(true)
      else this.running--
    }
  }

  /** The task's place in the queue, if it waits: it gets `cancelled`. */
  cancel(key: string): boolean {
    const i = this.waiting.findIndex((w) => w.key === key)
    if (i < 0) return false
    this.waiting.splice(i, 1)[0]!.go(false)
    return true
  }

  /** Every waiting launch is cancelled (shutdown). */
  cancelAll(): void {
    for (const w of this.waiting.splice(0)) w.go(false)
  }

  get waitingCount(): number {
    return this.waiting.length
  }
}
