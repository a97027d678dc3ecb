// Agent lines → SQLite (OutputRepository) in batched transactions → per-task event batches.
//
// Lines are queued per task and persisted every flushIntervalMs (~16 ms), or at once when a batch
// is full (1,000 lines or batchBytes). Each transaction holds at most one batch and the pipeline
// yields to the event loop between transactions, so a flood never freezes the process. While
// persisting falls behind (unpersisted data above the high-water mark), the producing agents'
// pipes are not read: the agent blocks on its full pipe and memory stays bounded. Reading resumes
// once the queue is below half the mark.
import type { NewOutputLine, OutputLine, OutputRepository } from '../store/output-repository'
import type { ClassifiedLine } from './classify'
import { defined, realTimers, type Timers } from './process-group'

/** What the pipeline needs from an agent: its lines and a way to stop/start reading its pipes. */
export interface OutputSource {
  on(event: 'line', fn: (line: ClassifiedLine) => void): () => void
  pauseOutput(): void
  resumeOutput(): void
}

export interface OutputPipelineOptions {
  repo: Pick<OutputRepository, 'append'>
  /** Persisted lines (with their seq), in order, one call per transaction and task. */
  onBatch?: (taskId: string, lines: OutputLine[]) => void
  /** A batch could not be stored (disk full, closed db); its lines are dropped, not retried. */
  onError?: (taskId: string, error: unknown, droppedLines: number) => void
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

interface TaskQueue {
  lines: NewOutputLine[]
  head: number
  sources: Set<OutputSource>
}

export class OutputPipeline {
  private readonly o: Required<Omit<OutputPipelineOptions, 'onBatch' | 'onError' | 'timers' | 'redact'>> & Pick<OutputPipelineOptions, 'onBatch' | 'onError' | 'redact'>
  private readonly timers: Timers
  private readonly queues = new Map<string, TaskQueue>()
  private readonly held = new Set<OutputSource>()
  private pendingLines = 0
  private pendingBytes = 0
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
    const off = source.on('line', (line) => this.enqueue(taskId, line, source))
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

  /** Persists everything queued so far. */
  async flush(): Promise<void> {
    while (this.pendingLines > 0 || this.running) {
      if (!this.running) this.start()
      await this.running
    }
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
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer)
    this.timer = undefined
    for (const src of this.held) src.resumeOutput()
    this.held.clear()
  }

  private queue(taskId: string): TaskQueue {
    let q = this.queues.get(taskId)
    if (!q) {
      q = { lines: [], head: 0, sources: new Set() }
      this.queues.set(taskId, q)
    }
    return q
  }

  private enqueue(taskId: string, line: Pick<ClassifiedLine, 'kind' | 'text'>, source: OutputSource | undefined): void {
    const data = this.o.redact ? this.o.redact(line.text) : line.text
    this.queue(taskId).lines.push({ kind: line.kind, data })
    this.pendingLines++
    this.pendingBytes += data.length
    if (this.pendingLines > this.s.maxPendingLines) this.s.maxPendingLines = this.pendingLines
    if (this.pendingBytes > this.s.maxPendingBytes) this.s.maxPendingBytes = this.pendingBytes
    if (source && this.o.backpressure && this.overHighWater() && !this.held.has(source)) {
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
    const full = this.pendingLines >= this.o.batchLines || this.pendingBytes >= this.o.batchBytes
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
      if (this.pendingLines > 0) this.schedule()
    })
  }

  /** One transaction per task batch, yielding to the event loop in between. */
  private async drain(): Promise<void> {
    while (this.pendingLines > 0) {
      for (const [taskId, q] of this.queues) {
        if (q.head < q.lines.length) this.persistBatch(taskId, q)
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
    q.head = end
    if (q.head === q.lines.length) {
      q.lines = []
      q.head = 0
    } else if (q.head > 10_000) {
      q.lines = q.lines.slice(q.head) // drop the persisted prefix so the array does not grow
      q.head = 0
    }
    this.pendingLines -= batch.length
    this.pendingBytes -= bytes
    const t0 = performance.now()
    let stored: OutputLine[]
    try {
      stored = this.o.repo.append(taskId, batch)
    } catch (err) {
      this.s.droppedLines += batch.length
      this.o.onError?.(taskId, err, batch.length)
      return
    }
    this.s.persistMs += performance.now() - t0
    this.s.transactions++
    this.s.persistedLines += batch.length
    this.s.persistedBytes += bytes
    this.o.onBatch?.(taskId, stored)
  }

  private release(): void {
    if (this.held.size === 0) return
    if (this.pendingBytes > this.o.highWaterBytes / 2 || this.pendingLines > this.o.highWaterLines / 2) return
    const held = [...this.held]
    this.held.clear()
    for (const src of held) src.resumeOutput()
  }
}
