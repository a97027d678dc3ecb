import { describe, expect, it } from 'vitest'
import { ConcurrencyLimiter } from '../../../../src-main/core/tasks/concurrency'

describe('ConcurrencyLimiter', () => {
  it('enforces the global cap', () => {
    const l = new ConcurrencyLimiter({ maxConcurrentTasks: 2, maxTasksPerContract: 10 })
    const a = l.tryAcquire('a', null)
    const b = l.tryAcquire('b', null)
    expect(a.ok && b.ok).toBe(true)
    const c = l.tryAcquire('c', null)
    expect(c).toMatchObject({ ok: false, code: 'concurrency-limit' })
    if (a.ok) a.slot.release()
    expect(l.tryAcquire('c', null).ok).toBe(true)
  })

  it('enforces the per-contract cap; standalone tasks are their own key', () => {
    const l = new ConcurrencyLimiter({ maxConcurrentTasks: 10, maxTasksPerContract: 2 })
    expect(l.tryAcquire('t1', 'k').ok).toBe(true)
    expect(l.tryAcquire('t2', 'k').ok).toBe(true)
    expect(l.tryAcquire('t3', 'k')).toMatchObject({ ok: false, code: 'contract-concurrency-limit' })
    expect(l.tryAcquire('t3', 'other').ok).toBe(true)
    // Standalone tasks never collide with each other.
    for (let i = 0; i < 5; i++) expect(l.tryAcquire(`s${i}`, null).ok).toBe(true)
    expect(l.running).toBe(8)
  })

  it('releases a slot exactly once however often release() is called', () => {
    const l = new ConcurrencyLimiter({ maxConcurrentTasks: 3, maxTasksPerContract: 3 })
    const a = l.tryAcquire('a', 'k')
    const b = l.tryAcquire('b', 'k')
    if (!a.ok || !b.ok) throw new Error('acquire failed')
    expect(a.slot.release()).toBe(true)
    expect(a.slot.release()).toBe(false)
    expect(a.slot.release()).toBe(false)
    expect(a.slot.released).toBe(true)
    expect(l.running).toBe(1)
    expect(l.countFor(b.slot.key)).toBe(1)
    b.slot.release()
    expect(l.running).toBe(0)
    expect(l.keys()).toEqual([])
  })

  it('relay-only (max 0) refuses every task', () => {
    const l = new ConcurrencyLimiter({ maxConcurrentTasks: 0, maxTasksPerContract: 10 })
    expect(l.tryAcquire('a', null)).toMatchObject({ ok: false, code: 'concurrency-limit' })
  })
})
