import { describe, expect, it } from 'vitest'
import { CircuitBreaker } from '../../../../src-main/core/tasks/circuit-breaker'

describe('CircuitBreaker', () => {
  it('trips after 3 iterations in a row without progress', () => {
    const b = new CircuitBreaker()
    expect(b.record({ progress: false }).kind).toBe('continue')
    expect(b.record({ progress: false }).kind).toBe('continue')
    const d = b.record({ progress: false })
    expect(d).toMatchObject({ kind: 'open', iteration: 3 })
    expect(b.openReason).toMatch(/no progress .* 3 iterations in a row/)
  })

  it('progress resets the no-progress streak', () => {
    const b = new CircuitBreaker()
    for (let i = 0; i < 6; i++) {
      expect(b.record({ progress: false }).kind).toBe('continue')
      expect(b.record({ progress: false }).kind).toBe('continue')
      expect(b.record({ progress: true }).kind).toBe('continue')
    }
    expect(b.isOpen).toBe(false)
  })

  it('trips on the same error 5 times in a row, even with progress', () => {
    const b = new CircuitBreaker()
    for (let i = 0; i < 4; i++) expect(b.record({ progress: true, error: i % 2 ? 'Tests  FAIL' : 'tests fail' }).kind).toBe('continue')
    expect(b.record({ progress: true, error: 'tests fail' })).toMatchObject({ kind: 'open', reason: expect.stringMatching(/same error 5 times/) })
  })

  it('a different error or none restarts the same-error count', () => {
    const b = new CircuitBreaker()
    for (let i = 0; i < 4; i++) b.record({ progress: true, error: 'A' })
    b.record({ progress: true, error: 'B' })
    for (let i = 0; i < 3; i++) b.record({ progress: true, error: 'A' })
    b.record({ progress: true })
    expect(b.record({ progress: true, error: 'A' }).kind).toBe('continue')
    expect(b.isOpen).toBe(false)
  })

  it('stops at the configurable iteration cap and stays open', () => {
    const b = new CircuitBreaker({ maxNoProgress: 3, maxSameError: 5, maxIterations: 4 })
    for (let i = 0; i < 3; i++) expect(b.record({ progress: true }).kind).toBe('continue')
    expect(b.record({ progress: true })).toMatchObject({ kind: 'open', reason: 'iteration cap reached (4 iterations)' })
    expect(b.record({ progress: true }).kind).toBe('open')
    expect(b.iterationCount).toBe(4)
  })
})
