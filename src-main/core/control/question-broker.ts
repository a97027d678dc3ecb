// Questions from agents to the user. `ask` stores the question (it survives a restart) and arms
// its timeout; `wait` long-polls: it resolves as soon as the question is settled, or after at most
// `maxWaitMs` with the question still pending, so no HTTP request has to stay open for an hour.
// Answers arrive through `answer` (the bridge, the headless web UI). Every change is reported to
// `onUpdate` (the UI, the tray, a desktop notification).
import { randomUUID } from 'node:crypto'
import type { QuestionRecord, QuestionRepository } from './records-repository'

export const DEFAULT_QUESTION_TIMEOUT_SECONDS = 3600
export const MAX_QUESTION_TIMEOUT_SECONDS = 7 * 24 * 3600

export interface AskInput {
  taskId: string
  contractId: string | null
  question: string
  choices?: string[]
  context?: string | null
  timeoutSeconds?: number
}

export type AnswerResult =
  | { ok: true; question: QuestionRecord }
  | { ok: false; code: 'not-found' | 'not-pending'; message: string }

export interface QuestionBrokerOptions {
  repo: QuestionRepository
  onUpdate?: (q: QuestionRecord) => void
}

export class QuestionBroker {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly waiters = new Map<string, Set<(q?: QuestionRecord) => void>>()
  private disposed = false

  constructor(private readonly opts: QuestionBrokerOptions) {}

  /** Re-arms the timers of questions left pending by an earlier run; expired ones time out now. */
  restore(): void {
    for (const q of this.opts.repo.list({ pendingOnly: true, limit: 100_000 })) this.arm(q)
  }

  ask(input: AskInput): QuestionRecord {
    const timeout = Math.min(Math.max(1, Math.floor(input.timeoutSeconds ?? DEFAULT_QUESTION_TIMEOUT_SECONDS)), MAX_QUESTION_TIMEOUT_SECONDS)
    const created = new Date()
    const q = this.opts.repo.insert({
      id: randomUUID(), taskId: input.taskId, contractId: input.contractId, question: input.question,
      choices: (input.choices ?? []).map((c) => c.trim()).filter((c) => c.length > 0), context: input.context ?? null,
      timeoutSeconds: timeout, createdAt: created.toISOString(), expiresAt: new Date(created.getTime() + timeout * 1000).toISOString(),
    })
    this.arm(q)
    this.opts.onUpdate?.(q)
    return q
  }

  get(id: string): QuestionRecord | undefined {
    return this.opts.repo.get(id)
  }

  list(opts: { pendingOnly?: boolean } = {}): QuestionRecord[] {
    return this.opts.repo.list(opts)
  }

  /** Resolves with the question once it is settled, or after `maxWaitMs` as it then is. */
  wait(id: string, maxWaitMs: number, signal?: AbortSignal): Promise<QuestionRecord | undefined> {
    const q = this.opts.repo.get(id)
    if (!q || q.state !== 'pending' || maxWaitMs <= 0 || this.disposed) return Promise.resolve(q)
    return new Promise((resolve) => {
      let set = this.waiters.get(id)
      if (!set) this.waiters.set(id, (set = new Set()))
      const done = (settled?: QuestionRecord) => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        set.delete(done)
        if (set.size === 0) this.waiters.delete(id)
        resolve(settled ?? this.opts.repo.get(id))
      }
      const onAbort = () => done()
      const timer = setTimeout(done, maxWaitMs)
      signal?.addEventListener('abort', onAbort, { once: true })
      set.add(done)
    })
  }

  answer(id: string, answer: string): AnswerResult {
    const q = this.opts.repo.get(id)
    if (!q) return { ok: false, code: 'not-found', message: `Question ${id} not found` }
    const settled = this.settle(id, 'answered', answer)
    if (!settled) return { ok: false, code: 'not-pending', message: `Question ${id} is already ${this.opts.repo.get(id)?.state ?? q.state}` }
    return { ok: true, question: settled }
  }

  /** Cancels the task's pending questions (it ended; nobody is waiting for them any more). */
  cancelForTask(taskId: string): void {
    for (const q of this.opts.repo.list({ pendingOnly: true, limit: 100_000 })) if (q.taskId === taskId) this.settle(q.id, 'cancelled', null)
  }

  dispose(): void {
    this.disposed = true
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
    for (const set of [...this.waiters.values()]) for (const w of [...set]) w()
  }

  private arm(q: QuestionRecord): void {
    const left = q.expiresAt ? Date.parse(q.expiresAt) - Date.now() : Infinity
    if (left <= 0) {
      this.settle(q.id, 'timed-out', null)
      return
    }
    if (!Number.isFinite(left)) return
    // setTimeout holds at most ~24.8 days; the cap on timeouts keeps us well inside it.
    const t = setTimeout(() => this.settle(q.id, 'timed-out', null), left)
    t.unref()
    this.timers.set(q.id, t)
  }

  private settle(id: string, state: 'answered' | 'timed-out' | 'cancelled', answer: string | null): QuestionRecord | undefined {
    const settled = this.opts.repo.settle(id, state, answer)
    if (!settled) return undefined
    const t = this.timers.get(id)
    if (t) clearTimeout(t)
    this.timers.delete(id)
    for (const w of [...(this.waiters.get(id) ?? [])]) w(settled)
    this.opts.onUpdate?.(settled)
    return settled
  }
}
