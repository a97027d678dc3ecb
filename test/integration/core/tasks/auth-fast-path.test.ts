// Issue 13 item 5: the real Claude Code CLI answers a 401 with up to ten `system/api_retry` lines
// over ~3 minutes before its final error. The sign-in prompt must not wait for that: two
// consecutive 401 retries raise it within seconds, and a retry that gets through withdraws it.
import { afterEach, describe, expect, it } from 'vitest'
import { claudeAvailable } from '../../../fixtures/claude-env'
import { httpError, text } from '../../../fixtures/model-server'
import { completeOf, makeHarness, waitFor, type Harness } from './harness'

const id = (n: number) => `33333333-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`
const LOGIN_URL = 'https://claude.ai/oauth/authorize?code=true'
// The CLI's own default: it retries a 401 with backoff, as against the real service.
const RETRYING = { CLAUDE_CODE_MAX_RETRIES: '10' }

describe.skipIf(!claudeAvailable())('auth fast path (real Claude Code CLI, scripted 401)', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  it('raises the sign-in prompt within 10 s while the CLI is still retrying', async () => {
    const withdrawn: string[] = []
    h = await makeHarness({
      scenario: { respond: () => httpError(401, 'invalid x-api-key'), fallback: httpError(401, 'invalid x-api-key') },
      extraEnv: RETRYING,
      auth: { requestLogin: async () => ({ loginUrl: LOGIN_URL }), submitCode: () => true, withdrawLogin: (t) => withdrawn.push(t) },
    })
    const started = Date.now()
    await h.manager.spawn({ taskId: id(1), taskName: 'expired', plan: 'p' })
    const ev = await waitFor(() => h!.events.find((e) => e.type === 'authenticationRequired'), { timeoutMs: 10_000, what: 'the sign-in prompt' })
    const elapsed = Date.now() - started
    expect(ev).toMatchObject({ taskId: id(1), loginUrl: LOGIN_URL })
    expect(elapsed).toBeLessThan(10_000)
    // The CLI had not given up yet: no final error, the task still runs, and it was a retry.
    expect(h.manager.get(id(1))?.state).toBe('running')
    expect(completeOf(h.events, id(1))).toBeUndefined()
    expect(h.model.conversationRequests().length).toBeGreaterThanOrEqual(2)
    await h.log.flush()
    const retries = h.lines(id(1)).filter((l) => l.data.includes('"subtype":"api_retry"'))
    expect(retries.length).toBeGreaterThanOrEqual(2)
    expect(h.lines(id(1)).some((l) => l.data.includes('"error":"authentication_failed"') && l.data.includes('"type":"assistant"'))).toBe(false)
    expect(withdrawn).toEqual([])
    await h.manager.interrupt(id(1))
  })

  it('withdraws the prompt when a later retry succeeds, and the task completes', async () => {
    const withdrawn: string[] = []
    let n = 0
    h = await makeHarness({
      scenario: { respond: () => (n++ < 2 ? httpError(401, 'invalid x-api-key') : text('DONE')) },
      extraEnv: RETRYING,
      auth: { requestLogin: async () => ({ loginUrl: LOGIN_URL }), submitCode: () => true, withdrawLogin: (t) => withdrawn.push(t) },
    })
    await h.manager.spawn({ taskId: id(2), taskName: 'flaky', plan: 'p' })
    const done = await waitFor(() => completeOf(h!.events, id(2)), { timeoutMs: 60_000, what: 'completion' })
    expect(done.success).toBe(true)
    const types = h.events.filter((e) => e.type === 'authenticationRequired' || e.type === 'authenticationCleared').map((e) => e.type)
    expect(types).toEqual(['authenticationRequired', 'authenticationCleared'])
    expect(withdrawn).toEqual([id(2)])
  })
})
