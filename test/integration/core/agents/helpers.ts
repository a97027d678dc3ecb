// Small helpers for the agent integration tests: polling with a deadline, temp dirs, manual timers.
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Timers } from '../../../../src-main/core/agents/process-group'

export async function waitFor(cond: () => boolean | Promise<boolean>, { timeoutMs = 10_000, pollMs = 10, what = 'condition' } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, pollMs))
  }
}

export const tempDir = (prefix = 'makima-agent-') => mkdtemp(join(tmpdir(), prefix))

/** A running (not exited, not a zombie waiting for init to reap it) process. */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))
  } catch {
    return false
  }
}

/** Timers fired by the test, to prove "one warning, not one every period" without waiting. */
export class ManualTimers implements Timers {
  private next = 1
  readonly pending = new Map<number, { fn: () => void; ms: number }>()
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++
    this.pending.set(id, { fn, ms })
    return id
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number)
  }
  /** Fires every pending timer scheduled with this delay; returns how many fired. */
  fire(ms: number): number {
    const due = [...this.pending].filter(([, t]) => t.ms === ms)
    for (const [id, t] of due) {
      this.pending.delete(id)
      t.fn()
    }
    return due.length
  }
}
