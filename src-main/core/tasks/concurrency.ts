// Concurrency slots, as the original counts them: a global cap over all running tasks and a cap
// per key, where the key is the task's contract id, or its own id for a standalone task. A slot
// is a handle whose release() is idempotent, so every exit path of a run may call it safely and
// the count still drops exactly once.

export interface ConcurrencyLimits {
  maxConcurrentTasks: number
  maxTasksPerContract: number
}

export interface Slot {
  readonly key: string
  readonly taskId: string
  readonly released: boolean
  /** Frees the slot; true the first time, false on every later call. */
  release(): boolean
}

export type AcquireResult =
  | { ok: true; slot: Slot }
  | { ok: false; code: 'concurrency-limit' | 'contract-concurrency-limit'; message: string }

export function concurrencyKey(taskId: string, contractId: string | null | undefined): string {
  return contractId ? `contract:${contractId}` : `task:${taskId}`
}

export class ConcurrencyLimiter {
  private readonly counts = new Map<string, number>()
  private total = 0

  constructor(private limits: ConcurrencyLimits) {}

  setLimits(limits: ConcurrencyLimits): void {
    this.limits = limits
  }

  get running(): number {
    return this.total
  }

  countFor(key: string): number {
    return this.counts.get(key) ?? 0
  }

  /** Keys with at least one slot held (a key whose count reaches zero is removed). */
  keys(): string[] {
    return [...this.counts.keys()]
  }

  tryAcquire(taskId: string, contractId: string | null | undefined): AcquireResult {
    const key = concurrencyKey(taskId, contractId)
    if (this.total >= this.limits.maxConcurrentTasks) {
      return {
        ok: false,
        code: 'concurrency-limit',
        message: `Concurrency limit reached: ${this.total} of ${this.limits.maxConcurrentTasks} tasks running; try again when one finishes`,
      }
    }
    const forKey = this.countFor(key)
    if (forKey >= this.limits.maxTasksPerContract) {
      return {
        ok: false,
        code: 'contract-concurrency-limit',
        message: `Contract concurrency limit reached: ${forKey} of ${this.limits.maxTasksPerContract} tasks of contract ${contractId ?? taskId} running`,
      }
    }
    this.counts.set(key, forKey + 1)
    this.total++
    let released = false
    const release = (): boolean => {
      if (released) return false
      released = true
      const n = (this.counts.get(key) ?? 1) - 1
      if (n <= 0) this.counts.delete(key)
      else this.counts.set(key, n)
      this.total = Math.max(0, this.total - 1)
      return true
    }
    return {
      ok: true,
      slot: {
        key,
        taskId,
        get released() {
          return released
        },
        release,
      },
    }
  }
}
