// Agent lines → SQLite (OutputRepository) in batched transactions → per-task event batches.
//
// Lines are queued per task and persisted every flushIntervalMs (~16 ms), or at once when a batch
// is full (1,000 lines or batchBytes). Each transaction holds at most one batch and the pipeline
// yields to the event loop between transactions, so a flood never freezes the process. While
// persisting falls behind (unpersisted data above the high-water mark), the producing agents'
// pipes are not read: the agent blocks on its full pipe and memory stays bounded. Reading resumes
// once the queue is below half the mark. A store that cannot take more (a full disk: isRetryable)
// stalls only that task: its batch stays queued, its sources stay paused, nothing is dropped, until
// retry(taskId).
import type { NewOutputLine, OutputLine, OutputRepository } from '../store/output-repository'
import type { AgentEvent } from './adapters/types'
import type { ClassifiedLine } from './classify'
import { defined, realTimers, type Timers } from './process-group'

/** What the pipeline needs from an agent: its lines and a way to stop/start reading its pipes. */
export interface OutputSource {
  on(event: 'line', fn: (line: ClassifiedLine, events?: readonly AgentEvent[]) => void): () => void
  pauseOutput(): void
  resumeOutput(): void
}

export interface OutputPipelineOptions {
  repo: Pick<OutputRepository, 'append'>
  /** Persisted lines (with their seq), in order, one call per transaction and task. */
  onBatch?: (taskId: string, lines: (OutputLine & { parsed?: readonly AgentEvent[] })[]) => void
  /**
   * A batch could not be stored. Its lines are dropped (droppedLines), unless isRetryable says the
   * error may pass (a full disk): then they are kept and the task stalls until retry() (0 dropped).
   */
  onError?: (taskId: string, error: unknown, droppedLines: number) => void
  isRetryable?: (error: unknown) => boolean
  flushIntervalMs?: number
  batchLines?: number
  batchBytes?: number
  highWaterBytes?: number
  highWaterLines?: number
  /** Applied to every line before it is stored or emitted (e.g. Redactor.redactText). */
  redact?: (text: string) => string
  /** Off only to measure what happens without it (benchmarks, the test that proves it matters). */
  backpressure?: boolean
  timers?: Timers
}

export interface PipelineStats {
  pendingLines: number
  pendingBytes: number
  maxPendingLines: number
  maxPendingBytes: number
  persistedLines: number
  persistedBytes: number
  transactions: number
  /** Time spent inside append transactions. */
  persistMs: number
  /** persistedLines / persistMs: what the store sustains. */
  linesPerSecond: number
  /** How often a source was paused because persisting fell behind. */
  backpressurePauses: number
  droppedLines: number
}

/** A queued line; `parsed`: the source's events for it, kept while redaction left the text as read. */
type QueuedLine = NewOutputLine & { parsed?: readonly AgentEvent[] }

interface TaskQueue {
  lines: QueuedLine[]
  head: number
  sources: Set<OutputSource>
  /** The store refused this task's batch with a retryable error: nothing more is tried until retry(). */
  stalled: boolean
}

export class OutputPipeline {
  private readonly o: Required<Omit<OutputPipelineOptions, 'onBatch' | 'onError' | 'timers' | 'redact' | 'isRetryable'>> & Pick<OutputPipelineOptions, 'onBatch' | 'onError' | 'redact' | 'isRetryable'>
  private readonly timers: Timers
  private readonly queues = new Map<string, TaskQueue>()
  private readonly held = new Set<OutputSource>()
  private pendingLines = 0
  private pendingBytes = 0
  /** Queues with stalled = true: while none is, every pending line is active (no walk per line). */
  private stalledQueues = 0
  private timer: unknown
  private running: Promise<void> | undefined
  private disposed = false
  private readonly s = { maxPendingLines: 0, maxPendingBytes: 0, persistedLines: 0, persistedBytes: 0, transactions: 0, persistMs: 0, backpressurePauses: 0, droppedLines: 0 }

  constructor(options: OutputPipelineOptions) {
    this.o = {
      flushIntervalMs: 16, batchLines: 1_000, batchBytes: 4 * 1024 * 1024, highWaterBytes: 8 * 1024 * 1024,
      highWaterLines: 20_000, backpressure: true, ...defined(options),
    } as OutputPipeline['o']
    this.timers = options.timers ?? realTimers
  }

  /** Routes a source's lines into the task's output; returns the detach function. */
  attach(taskId: string, source: OutputSource): () => void {
    const q = this.queue(taskId)
    q.sources.add(source)
    const off = source.on('line', (line, events) => this.enqueue(taskId, line, source, events))
    return () => {
      off()
      q.sources.delete(source)
      if (this.held.delete(source)) source.resumeOutput()
    }
  }

  /** A line of our own (status, warnings) for the task's output. */
  push(taskId: string, line: Pick<ClassifiedLine, 'kind' | 'text'>): void {
    this.enqueue(taskId, line, undefined)
  }

  /** Persists everything queued so far (a stalled task's lines wait for retry()). */
  async flush(): Promise<void> {
    while (this.activeLines() > 0 || this.running) {
      if (!this.running) this.start()
      await this.running
    }
  }

  /** Tries a stalled task's output again and reads its sources again. */
  retry(taskId: string): void {
    const q = this.queues.get(taskId)
    if (!q?.stalled) return
    q.stalled = false
    this.stalledQueues--
    for (const src of q.sources) if (!this.held.has(src)) src.resumeOutput()
    this.schedule()
  }

  /** Whether a task's output is stalled on a store that refused it. */
  isStalled(taskId: string): boolean {
    return this.queues.get(taskId)?.stalled ?? false
  }

  stats(): PipelineStats {
    const s = this.s
    return {
      ...s, pendingLines: this.pendingLines, pendingBytes: this.pendingBytes,
      linesPerSecond: s.persistMs > 0 ? Math.round(s.persistedLines / (s.persistMs / 1000)) : 0,
    }
  }

  /** Flushes, then stops its timer and releases every held source. */
  async dispose(): Promise<void> {
    await this.flush()
    this.disposed = true
    for (const q of this.queues.values()) {
      if (!q.stalled) continue
      this.s.droppedLines += q.lines.length - q.head
      q.stalled = false
      this.stalledQueues--
      for (const src of q.sources) src.resumeOutput()
    }
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
    this.timer = undefined
    for (const src of this.held) src.resumeOutput()
    this.held.clear()
  }

  private queue(taskId: string): TaskQueue {
    let q = this.queues.get(taskId)
    if (!q) {
      q = { lines: [], head: 0, sources: new Set(), stalled: false }
      this.queues.set(taskId, q)
    }
    return q
  }

  private enqueue(taskId: string, line: Pick<ClassifiedLine, 'kind' | 'text'>, source: OutputSource | undefined, events?: readonly AgentEvent[]): void {
    const data = this.o.redact ? this.o.redact(line.text) : line.text
    // Events read from text that redaction then changed could carry the secret: dropped, re-read later.
    this.queue(taskId).lines.push(events && events.length > 0 && data === line.text ? { kind: line.kind, data, parsed: events } : { kind: line.kind, data })
    this.pendingLines++
    this.pendingBytes += data.length
    if (this.pendingLines > this.s.maxPendingLines) this.s.maxPendingLines = this.pendingLines
    if (this.pendingBytes > this.s.maxPendingBytes) this.s.maxPendingBytes = this.pendingBytes
    if (source && this.o.backpressure && this.overHighWater() && !this.held.has(source) && !this.queue(taskId).stalled) {
      this.held.add(source)
      this.s.backpressurePauses++
      source.pauseOutput()
    }
    this.schedule()
  }

  private overHighWater(): boolean {
    return this.pendingBytes >= this.o.highWaterBytes || this.pendingLines >= this.o.highWaterLines
  }

  private schedule(): void {
    if (this.running || this.disposed) return
    const active = this.activeLines()
    if (active === 0) return
    const full = active >= this.o.batchLines || this.pendingBytes >= this.o.batchBytes
    if (full) {
      if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
      this.timer = undefined
      this.start()
    } else if (this.timer === undefined) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined
        this.start()
      }, this.o.flushIntervalMs)
    }
  }

  private start(): void {
    if (this.running) return
    this.running = this.drain().finally(() => {
      this.running = undefined
      if (this.activeLines() > 0) this.schedule()
    })
  }

  /** Queued lines that are not waiting on a stalled task. */
  private activeLines(): number {
    if (this.stalledQueues === 0) return this.pendingLines
    let stalled = 0
    for (const q of this.queues.values()) if (q.stalled) stalled += q.lines.length - q.head
    return this.pendingLines - stalled
  }

  /** One transaction per task batch, yielding to the event loop in between. */
  private async drain(): Promise<void> {
    while (this.activeLines() > 0) {
      for (const [taskId, q] of this.queues) {
        if (q.head < q.lines.length && !q.stalled) this.persistBatch(taskId, q)
        if (q.head >= q.lines.length && q.sources.size === 0) this.queues.delete(taskId)
      }
      this.release()
      await new Promise<void>((r) => setImmediate(r))
    }
    this.release()
  }

  private persistBatch(taskId: string, q: TaskQueue): void {
    let end = q.head
    let bytes = 0
    while (end < q.lines.length && end - q.head < this.o.batchLines && (bytes < this.o.batchBytes || end === q.head)) {
      bytes += q.lines[end]!.data.length
      end++
    }
    const batch = q.lines.slice(q.head, end)
    const t0 = performance.now()
    let stored: OutputLine[]
    try {
      stored = this.o.repo.append(taskId, batch)
    } catch (err) {
      if (this.o.isRetryable?.(err)) return this.stall(taskId, q, err)
      this.consume(q, end, batch.length, bytes)
      this.s.droppedLines += batch.length
      this.o.onError?.(taskId, err, batch.length)
      return
    }
    this.consume(q, end, batch.length, bytes)
    this.s.persistMs += performance.now() - t0
    this.s.transactions++
    this.s.persistedLines += batch.length
    this.s.persistedBytes += bytes
    if (this.o.onBatch) {
      // The stored lines are fresh objects of ours: the events join them in place, no copy per line.
      const out: (OutputLine & { parsed?: readonly AgentEvent[] })[] = stored
      for (let i = 0; i < out.length; i++) {
        const parsed = batch[i]?.parsed
        if (parsed) out[i]!.parsed = parsed
      }
      this.o.onBatch(taskId, out)
    }
  }

  /** Takes lines [head, end) off the queue. */
  private consume(q: TaskQueue, end: number, lines: number, bytes: number): void {
    q.head = end
    if (q.head === q.lines.length) {
      q.lines = []
      q.head = 0
    } else if (q.head > 10_000) {
      q.lines = q.lines.slice(q.head) // drop the persisted prefix so the array does not grow
      q.head = 0
    }
    this.pendingLines -= lines
    this.pendingBytes -= bytes
  }

  /** Keeps the batch, stops reading the task's sources until retry(). */
  private stall(taskId: string, q: TaskQueue, err: unknown): void {
    if (!q.stalled) this.stalledQueues++
    q.stalled = true
    for (const src of q.sources) {
      this.held.delete(src)
      src.pauseOutput()
    }
    this.o.onError?.(taskId, err, 0)
  }

  private release(): void {
    if (this.held.size === 0) return
    if (this.pendingBytes > this.o.highWaterBytes / 2 || this.pendingLines > this.o.highWaterLines / 2) return
    const held = [...this.held]
    this.held.clear()
    for (const src of held) src.resumeOutput()
  }
}
