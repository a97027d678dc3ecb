// Task output into SQLite in batched transactions, and batches out to listeners. Lines are
// buffered per task and written every `flushMs` or as soon as `maxBatch` lines wait; the write is
// synchronous (better-sqlite3), so a flood cannot outrun it: the reader is blocked while a full
// batch is written, which keeps memory bounded. Secrets are redacted before anything is stored.
import type { OutputRepository } from '../store/output-repository'
import type { Redactor } from '../log/redact'
import type { OutputPort, PersistedLine } from './ports'

export interface OutputLogOptions {
  repo: OutputRepository
  redactor: Redactor
  flushMs?: number
  maxBatch?: number
}

export class OutputLog implements OutputPort {
  private readonly pending = new Map<string, { kind: string; data: string }[]>()
  private readonly listeners = new Set<(taskId: string, lines: PersistedLine[]) => void>()
  private timer: NodeJS.Timeout | undefined
  private readonly flushMs: number
  private readonly maxBatch: number
  private linesWritten = 0
  private writeMs = 0

  constructor(private readonly opts: OutputLogOptions) {
    this.flushMs = opts.flushMs ?? 16
    this.maxBatch = opts.maxBatch ?? 1000
  }

  append(taskId: string, kind: string, data: string): void {
    let list = this.pending.get(taskId)
    if (!list) this.pending.set(taskId, (list = []))
    list.push({ kind, data: this.opts.redactor.redactText(data) })
    if (list.length >= this.maxBatch) this.flush(taskId)
    else this.timer ??= setTimeout(() => this.flushAll(), this.flushMs)
  }

  notice(taskId: string, text: string): void {
    this.append(taskId, 'notice', text)
  }

  onBatch(listener: (taskId: string, lines: PersistedLine[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  flush(taskId?: string): void {
    if (taskId === undefined) return this.flushAll()
    const list = this.pending.get(taskId)
    if (!list?.length) return
    this.pending.delete(taskId)
    const t0 = performance.now()
    const stored = this.opts.repo.append(taskId, list)
    this.writeMs += performance.now() - t0
    this.linesWritten += stored.length
    const lines = stored.map((l) => ({ seq: l.seq, kind: l.kind, data: l.data }))
    for (const l of this.listeners) l(taskId, lines)
  }

  /** Lines persisted and time spent writing them (for the benchmark). */
  stats(): { linesWritten: number; writeMs: number } {
    return { linesWritten: this.linesWritten, writeMs: this.writeMs }
  }

  dispose(): void {
    this.flushAll()
    this.listeners.clear()
  }

  private flushAll(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    for (const taskId of [...this.pending.keys()]) this.flush(taskId)
  }
}
