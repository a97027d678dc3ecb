// Tells views that a task's worktree changed, coalesced: an agent may run dozens of tools a second,
// and each signal makes a view re-read the diff, so touches are debounced per task (fired once the
// agent has been quiet for `quietMs`, and at least every `maxWaitMs` while it keeps going). No git
// runs here; the signal only says "read again".
export interface ChangeSignalOptions {
  quietMs?: number
  maxWaitMs?: number
  /** Tasks with a pending signal at once; past it a touch fires at once instead of waiting. */
  maxPending?: number
}

interface Pending {
  timer: ReturnType<typeof setTimeout>
  firstAt: number
}

export class ChangeSignal {
  private readonly pending = new Map<string, Pending>()
  private readonly quietMs: number
  private readonly maxWaitMs: number
  private readonly maxPending: number

  constructor(
    private readonly fire: (taskId: string) => void,
    opts: ChangeSignalOptions = {},
  ) {
    this.quietMs = opts.quietMs ?? 1_000
    this.maxWaitMs = opts.maxWaitMs ?? 3_000
    this.maxPending = opts.maxPending ?? 1_024
  }

  /** Something changed; the signal goes out after a quiet spell (or the longest wait). */
  touch(taskId: string): void {
    const now = Date.now()
    const p = this.pending.get(taskId)
    if (!p && this.pending.size >= this.maxPending) return this.fire(taskId)
    const firstAt = p?.firstAt ?? now
    if (p) clearTimeout(p.timer)
    const wait = Math.max(0, Math.min(this.quietMs, firstAt + this.maxWaitMs - now))
    const timer = setTimeout(() => this.flush(taskId), wait)
    timer.unref?.()
    this.pending.set(taskId, { timer, firstAt })
  }

  /** Signal now (the task ended, a merge finished), dropping any pending one. */
  flush(taskId: string): void {
    const p = this.pending.get(taskId)
    if (p) clearTimeout(p.timer)
    this.pending.delete(taskId)
    this.fire(taskId)
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer)
    this.pending.clear()
  }
}
