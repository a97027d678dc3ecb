// The worktree-changed signal is coalesced per task: a burst of tool events makes one signal, a
// long burst one at least every maxWait, and a flush (task ended, merge) goes out at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ChangeSignal, WorktreeTouches } from '../../../../src-main/core/tasks/change-signal'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('ChangeSignal', () => {
  it('coalesces a burst into one signal after the quiet spell, per task', () => {
    const fired: string[] = []
    const s = new ChangeSignal((id) => fired.push(id), { quietMs: 400, maxWaitMs: 2000 })
    for (let i = 0; i < 50; i++) s.touch('a')
    s.touch('b')
    vi.advanceTimersByTime(399)
    expect(fired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(fired.sort()).toEqual(['a', 'b'])
  })

  it('fires at least every maxWait while touches keep coming', () => {
    const fired: string[] = []
    const s = new ChangeSignal((id) => fired.push(id), { quietMs: 400, maxWaitMs: 1000 })
    for (let t = 0; t < 2500; t += 100) {
      s.touch('a')
      vi.advanceTimersByTime(100)
    }
    expect(fired.length).toBe(2) // at 1000 and 2000 ms, not 25 times
  })

  it('flush signals at once and drops the pending one; dispose cancels everything', () => {
    const fired: string[] = []
    const s = new ChangeSignal((id) => fired.push(id))
    s.touch('a')
    s.flush('a')
    expect(fired).toEqual(['a'])
    vi.advanceTimersByTime(10_000)
    expect(fired).toEqual(['a'])
    s.touch('b')
    s.dispose()
    vi.advanceTimersByTime(10_000)
    expect(fired).toEqual(['a'])
  })

  it('past maxPending tasks, a touch fires at once instead of holding a timer', () => {
    const fired: string[] = []
    const s = new ChangeSignal((id) => fired.push(id), { maxPending: 2 })
    s.touch('a')
    s.touch('b')
    s.touch('c')
    expect(fired).toEqual(['c'])
  })
})

describe('WorktreeTouches', () => {
  it('counts file changes and results of tools that may write, not of tools that only read', () => {
    const t = new WorktreeTouches()
    expect(t.touches({ kind: 'tool_call', callId: 'r1', name: 'Read' })).toBe(false)
    expect(t.touches({ kind: 'tool_call', callId: 'b1', name: 'Bash' })).toBe(false)
    expect(t.touches({ kind: 'tool_result', callId: 'r1' })).toBe(false)
    expect(t.touches({ kind: 'tool_result', callId: 'b1' })).toBe(true)
    expect(t.touches({ kind: 'tool_result', callId: 'unknown' })).toBe(true) // unknown: may have written
    expect(t.touches({ kind: 'file_change' })).toBe(true)
    expect(t.touches({ kind: 'text' })).toBe(false)
  })
})
