import { describe, expect, it } from 'vitest'
import type { AgentEvent } from '../../../../src-main/core/agents/adapters/types'
import { AuthEventWatch } from '../../../../src-main/core/tasks/auth-watch'

const retry = (status: number | null, category: 'auth' | 'api' = 'auth'): AgentEvent => ({ kind: 'retry', attempt: 1, status, category })
const authError: AgentEvent = { kind: 'error', category: 'auth', message: 'Not logged in', fatal: true, auth: { reason: 'not-logged-in', message: 'Not logged in', via: 'assistant-error' } }

describe('AuthEventWatch', () => {
  it('one auth retry is not enough; the second consecutive one raises', () => {
    const w = new AuthEventWatch()
    expect(w.observe(retry(401))).toBeNull()
    expect(w.observe(retry(401))).toMatchObject({ kind: 'raise', match: { via: 'api-retry' } })
  })

  it('a non-auth retry in between resets the count', () => {
    const w = new AuthEventWatch()
    w.observe(retry(401))
    expect(w.observe(retry(529, 'api'))).toBeNull()
    expect(w.observe(retry(401))).toBeNull()
    expect(w.observe(retry(401))?.kind).toBe('raise')
  })

  it('the final auth error after a fast raise is not raised twice', () => {
    const w = new AuthEventWatch()
    w.observe(retry(401))
    w.observe(retry(401))
    expect(w.observe(authError)).toBeNull()
    expect(w.observe({ kind: 'text', text: 'hi' })).toBeNull() // raised for good: never withdrawn
  })

  it('the API answering after a fast raise withdraws it', () => {
    const w = new AuthEventWatch()
    w.observe(retry(401))
    w.observe(retry(401))
    expect(w.observe({ kind: 'text', text: 'hello' })).toEqual({ kind: 'withdraw' })
    expect(w.observe({ kind: 'text', text: 'again' })).toBeNull()
  })

  it('a fatal auth error raises at once, with its match', () => {
    expect(new AuthEventWatch().observe(authError)).toEqual({ kind: 'raise', match: authError.kind === 'error' ? authError.auth : undefined })
  })
})
