import { describe, expect, it } from 'vitest'
import { TASK_STATES, canTransition, isActive, isTerminal, outcomeState, transition } from '../../../../src-main/core/tasks/state'

describe('task states', () => {
  it('classifies terminal and active states as PROTOCOL.md does', () => {
    expect(TASK_STATES.filter(isTerminal)).toEqual(['completed', 'failed', 'interrupted'])
    expect(TASK_STATES.filter(isActive)).toEqual(['initializing', 'starting', 'running', 'paused'])
    expect(isActive('pending')).toBe(false)
    expect(isTerminal('pending')).toBe(false)
  })

  it('allows the lifecycle the original performs', () => {
    const path = ['pending', 'initializing', 'starting', 'running', 'paused', 'running', 'completed'] as const
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i])).toBe(true)
    for (const s of ['initializing', 'starting', 'running', 'paused'] as const) expect(canTransition(s, 'interrupted')).toBe(true)
    // A supervisor is respawned in place.
    expect(canTransition('running', 'starting')).toBe(true)
  })

  it('refuses illegal moves, with a message', () => {
    expect(canTransition('initializing', 'paused')).toBe(false)
    expect(canTransition('starting', 'paused')).toBe(false)
    expect(canTransition('paused', 'paused')).toBe(false)
    // An ended task only moves again for a follow-up message, which starts its agent anew.
    for (const t of ['completed', 'failed', 'interrupted'] as const) {
      for (const s of TASK_STATES) expect(canTransition(t, s)).toBe(s === 'starting')
    }
    const r = transition('completed', 'running')
    expect(r).toEqual({ ok: false, from: 'completed', to: 'running', message: 'Invalid state transition from completed to running' })
  })

  it('maps outcomes to final states', () => {
    expect(outcomeState({ kind: 'completed', exitCode: 0 })).toBe('completed')
    expect(outcomeState({ kind: 'failed', reason: 'x', exitCode: 1 })).toBe('failed')
    expect(outcomeState({ kind: 'interrupted', reason: 'x' })).toBe('interrupted')
  })
})
