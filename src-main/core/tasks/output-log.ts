// Task output: the agent layer's OutputPipeline (batched SQLite transactions, per-task batches,
// backpressure on the agents' pipes, redaction) behind the OutputPort the manager uses, with our
// own notices queued in order with the agent's lines.
import { OutputPipeline, type OutputPipelineOptions, type OutputSource, type PipelineStats } from '../agents/output-pipeline'
import type { Redactor } from '../log/redact'
import type { OutputRepository } from '../store/output-repository'
import type { OutputPort, PersistedLine } from './ports'

export interface OutputLogOptions {
  repo: OutputRepository
  redactor: Redactor
  /** Passed through to the pipeline (intervals, batch sizes, high-water marks). */
  pipeline?: Omit<OutputPipelineOptions, 'repo' | 'onBatch' | 'redact'>
  onError?: (taskId: string, error: unknown, droppedLines: number) => void
  /** Errors after which a task's output is kept and stalled until retry() (a full disk). */
  isRetryable?: (error: unknown) => boolean
}

export class OutputLog implements OutputPort {
  private readonly listeners = new Set<(taskId: string, lines: PersistedLine[]) => void>()
  private readonly pipeline: OutputPipeline

  constructor(opts: OutputLogOptions) {
    this.pipeline = new OutputPipeline({
      ...opts.pipeline,
      repo: opts.repo,
      redact: (text) => opts.redactor.redactText(text),
      onBatch: (taskId, lines) => {
        const out = lines.map((l): PersistedLine => (l.parsed ? { seq: l.seq, kind: l.kind, data: l.data, parsed: l.parsed } : { seq: l.seq, kind: l.kind, data: l.data }))
        for (const l of this.listeners) l(taskId, out)
      },
      ...(opts.onError ? { onError: opts.onError } : {}),
      ...(opts.isRetryable ? { isRetryable: opts.isRetryable } : {}),
    })
  }

  /** Persist an agent's lines (with backpressure on its pipes); returns the detach function. */
  attach(taskId: string, source: OutputSource): () => void {
    return this.pipeline.attach(taskId, source)
  }

  notice(taskId: string, text: string): void {
    this.pipeline.push(taskId, { kind: 'notice', text })
  }

  /** Stored as a stream-json user message, so every reader of the transcript sees the same shape. */
  userTurn(taskId: string, text: string): void {
    this.pipeline.push(taskId, { kind: 'user', text: JSON.stringify(userTurnLine(text)) })
  }

  onBatch(listener: (taskId: string, lines: PersistedLine[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Tries a task's stalled output again (the user made room and resumed it). */
  retry(taskId: string): void {
    this.pipeline.retry(taskId)
  }

  isStalled(taskId: string): boolean {
    return this.pipeline.isStalled(taskId)
  }

  flush(): Promise<void> {
    return this.pipeline.flush()
  }

  stats(): PipelineStats {
    return this.pipeline.stats()
  }

  async dispose(): Promise<void> {
    await this.pipeline.dispose()
    this.listeners.clear()
  }
}

/** `origin: 'makima'` tells the user's turn apart from the CLI's own user lines (tool results). */
export function userTurnLine(text: string): Record<string, unknown> {
  return { type: 'user', origin: 'makima', message: { role: 'user', content: [{ type: 'text', text }] } }
}
