// The autonomous loop's circuit breaker: stops restarting an agent that is going nowhere.
//
// Thresholds (documented, configurable):
// - NO PROGRESS: `maxNoProgress` (default 3) iterations IN A ROW without progress trip it.
//   Progress means the working directory changed (files added, changed or deleted) or new commits
//   appeared during the iteration — not that the agent printed something.
// - SAME ERROR: the same error (the first blocker of a ready:false gate, compared after trimming,
//   lower-casing and collapsing whitespace) reported `maxSameError` (default 5) iterations in a row
//   trips it. An iteration with another error, or none, starts the count again.
// - ITERATION CAP: after `maxIterations` (default 20) iterations the loop stops whatever happens.
// Once open it stays open; the reason says which threshold tripped.

export interface BreakerThresholds {
  maxNoProgress: number
  maxSameError: number
  maxIterations: number
}

export const DEFAULT_BREAKER_THRESHOLDS: BreakerThresholds = { maxNoProgress: 3, maxSameError: 5, maxIterations: 20 }

export interface IterationRecord {
  progress: boolean
  error?: string | null
}

export type BreakerDecision = { kind: 'continue'; iteration: number } | { kind: 'open'; iteration: number; reason: string }

export class CircuitBreaker {
  private iterations = 0
  private noProgressStreak = 0
  private lastError: string | null = null
  private sameErrorStreak = 0
  private reason: string | null = null

  constructor(readonly thresholds: BreakerThresholds = DEFAULT_BREAKER_THRESHOLDS) {}

  get openReason(): string | null {
    return this.reason
  }

  get isOpen(): boolean {
    return this.reason !== null
  }

  get iterationCount(): number {
    return this.iterations
  }

  /** Records one finished iteration that did not end the loop; says whether to run another. */
  record(rec: IterationRecord): BreakerDecision {
    if (this.reason) return { kind: 'open', iteration: this.iterations, reason: this.reason }
    this.iterations++
    this.noProgressStreak = rec.progress ? 0 : this.noProgressStreak + 1

    const err = rec.error ? normalise(rec.error) : null
    if (err && err === this.lastError) this.sameErrorStreak++
    else this.sameErrorStreak = err ? 1 : 0
    this.lastError = err

    const t = this.thresholds
    if (this.noProgressStreak >= t.maxNoProgress) {
      this.reason = `no progress (no file changes or commits) in ${this.noProgressStreak} iterations in a row`
    } else if (err && this.sameErrorStreak >= t.maxSameError) {
      this.reason = `the same error ${this.sameErrorStreak} times in a row: ${rec.error!.trim()}`
    } else if (this.iterations >= t.maxIterations) {
      this.reason = `iteration cap reached (${t.maxIterations} iterations)`
    }
    return this.reason ? { kind: 'open', iteration: this.iterations, reason: this.reason } : { kind: 'continue', iteration: this.iterations }
  }
}

function normalise(error: string): string {
  return error.trim().toLowerCase().replace(/\s+/g, ' ')
}
