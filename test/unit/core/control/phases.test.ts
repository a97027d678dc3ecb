import { describe, expect, it } from 'vitest'
import { checkComplete, checkPhaseMove, initialPhase, nextPhase, phasesOf } from '../../../../src-main/core/control/phases'

const simple = (phase: 'plan' | 'execute', status: 'active' | 'completed' = 'active') => ({ type: 'simple' as const, phase, status })
const spec = (phase: 'research' | 'specify' | 'plan' | 'execute' | 'review', status: 'active' | 'completed' = 'active') => ({ type: 'specification' as const, phase, status })

describe('contract phases', () => {
  it('simple contracts go plan → execute, specification contracts research → specify → plan → execute → review', () => {
    expect(phasesOf('simple')).toEqual(['plan', 'execute'])
    expect(phasesOf('specification')).toEqual(['research', 'specify', 'plan', 'execute', 'review'])
    expect(initialPhase('simple')).toBe('plan')
    expect(initialPhase('specification')).toBe('research')
    expect(nextPhase('simple', 'plan')).toBe('execute')
    expect(nextPhase('simple', 'execute')).toBeNull()
    expect(nextPhase('specification', 'execute')).toBe('review')
  })

  it('allows exactly the next phase', () => {
    expect(checkPhaseMove(simple('plan'), 'execute')).toEqual({ ok: true, from: 'plan', to: 'execute' })
    const walk = ['specify', 'plan', 'execute', 'review'] as const
    let at: Parameters<typeof spec>[0] = 'research'
    for (const to of walk) {
      expect(checkPhaseMove(spec(at), to)).toEqual({ ok: true, from: at, to })
      at = to
    }
  })

  it('refuses invalid moves with a reason', () => {
    const cases: [ReturnType<typeof checkPhaseMove>, string, RegExp][] = [
      [checkPhaseMove(simple('plan'), 'review'), 'not-in-type', /simple contract has no review phase/],
      [checkPhaseMove(simple('plan'), 'research'), 'not-in-type', /no research phase/],
      [checkPhaseMove(simple('execute'), 'plan'), 'backwards', /Cannot go back from execute to plan/],
      [checkPhaseMove(spec('research'), 'execute'), 'skips', /next phase is specify/],
      [checkPhaseMove(spec('plan'), 'plan'), 'same-phase', /already in the plan phase/],
      [checkPhaseMove(simple('plan'), 'deploy'), 'unknown-phase', /Unknown phase "deploy"/],
      [checkPhaseMove(simple('plan', 'completed'), 'execute'), 'completed', /already completed/],
    ]
    for (const [r, code, reason] of cases) {
      expect(r.ok).toBe(false)
      if (r.ok) continue
      expect(r.code).toBe(code)
      expect(r.reason).toMatch(reason)
    }
  })

  it('completes only in the final phase', () => {
    expect(checkComplete(simple('execute'))).toEqual({ ok: true })
    expect(checkComplete(spec('review'))).toEqual({ ok: true })
    const early = checkComplete(simple('plan'))
    expect(early.ok).toBe(false)
    if (!early.ok) expect(early.reason).toMatch(/only in its execute phase/)
    const specEarly = checkComplete(spec('execute'))
    expect(specEarly.ok).toBe(false)
    if (!specEarly.ok) expect(specEarly.reason).toMatch(/review/)
    expect(checkComplete(simple('execute', 'completed')).ok).toBe(false)
  })
})
