// The login flow against the fake `claude setup-token` in a real PTY: URL, code, token, retries,
// deadlines, joining, cancel.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LoginFlow, fallbackNotice, type LoginFlowOptions, type LoginState } from '../../../../src-main/core/auth/login-flow'
import { MemoryTokenStore } from '../../../../src-main/core/auth/token-store'
import { spawnPty, type PtyLike } from '../../../../src-main/core/auth/pty'
import {
  FAKE_CLAUDE, ManualTimers, capturingLogger, fakeSetupTokenEnv, makeCode, makeToken, waitFor, type FakeSetupTokenOptions,
} from '../../../fixtures/fake-setup-token'

let dir: string
let flows: LoginFlow[] = []
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'makima-login-'))
})
afterEach(async () => {
  for (const f of flows) f.dispose()
  flows = []
  await rm(dir, { recursive: true, force: true })
})

function build(fake: FakeSetupTokenOptions, extra: Partial<LoginFlowOptions> = {}) {
  const { log, lines, redactor } = capturingLogger()
  const tokens = new MemoryTokenStore()
  const states: LoginState[] = []
  const ptys: PtyLike[] = []
  const flow = new LoginFlow({
    command: FAKE_CLAUDE,
    env: fakeSetupTokenEnv({ logFile: join(dir, 'fake.log'), ...fake }),
    cwd: dir,
    tokens,
    redactor,
    log,
    hostname: 'test-host',
    spawn: (file, args, opts) => {
      const p = spawnPty(file, args, opts)
      ptys.push(p)
      return p
    },
    ...extra,
  })
  flow.onStateChange((s) => states.push(s))
  flows.push(flow)
  return { flow, tokens, states, lines, redactor, ptys }
}

const fakeLog = async () => (await readFile(join(dir, 'fake.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean)
const exited = (p: PtyLike) => new Promise<number>((r) => p.onExit((e) => r(e.exitCode)))

describe('LoginFlow with the fake setup-token', () => {
  it('finds the URL, writes a good code and stores the wrapped, coloured token', async () => {
    const code = makeCode()
    const token = makeToken()
    const { flow, tokens, states } = build({ goodCode: code, token, wrap: 37 })
    const required: unknown[] = []
    flow.onAuthenticationRequired((e) => required.push(e))
    const outcome = await flow.start({ taskId: 't1' })
    expect(outcome.kind).toBe('url')
    if (outcome.kind !== 'url') return
    // The fake's URL is wider than the 200-column terminal: it must come out whole, exactly once.
    expect(outcome.loginUrl).toMatch(/^https:\/\/claude\.com\/cai\/oauth\/authorize\?code=true&client_id=[^&]+&response_type=code&redirect_uri=[^&]+&scope=[^&]+&code_challenge=[\w-]{43}&code_challenge_method=S256&state=[\w-]{43}$/)
    expect(outcome.hostname).toBe('test-host')
    expect(required).toEqual([{ taskId: 't1', loginUrl: outcome.loginUrl, hostname: 'test-host' }])
    expect(flow.state.kind).toBe('awaiting-code')

    expect(flow.submitCode(code)).toEqual({ kind: 'written', attempt: 1 })
    await waitFor(() => flow.state.kind === 'succeeded', { what: 'success' })
    expect(await tokens.load()).toBe(token)
    expect(states.map((s) => s.kind)).toEqual(['starting', 'awaiting-code', 'verifying', 'succeeded'])
    expect(await fakeLog()).toEqual([expect.stringMatching(/^start \d+$/), 'accepted'])
  })

  it('after a rejected code shows the retry state with the error, and a second code works', async () => {
    const good = makeCode()
    const token = makeToken()
    const { flow, tokens } = build({ goodCode: good, token, reject: 'oauth-error' })
    const first = await flow.start({})
    if (first.kind !== 'url') throw new Error('no url')

    expect(flow.submitCode(makeCode()).kind).toBe('written')
    await waitFor(() => flow.state.kind === 'awaiting-code', { what: 'retry state' })
    const retry = flow.state
    if (retry.kind !== 'awaiting-code') throw new Error('unreachable')
    expect(retry.attempt).toBe(1)
    expect(retry.error).toBe('OAuth error: Request failed with status code 400')
    // "Press Enter to retry" starts a fresh authorization: the flow follows it to the new URL.
    await waitFor(() => flow.state.kind === 'awaiting-code' && flow.state.loginUrl !== first.loginUrl, { what: 'new URL' })

    expect(flow.submitCode(good)).toEqual({ kind: 'written', attempt: 2 })
    await waitFor(() => flow.state.kind === 'succeeded', { what: 'success' })
    expect(await tokens.load()).toBe(token)
    expect(await fakeLog()).toEqual([expect.stringMatching(/^start /), 'rejected', 'accepted'])
  })

  it('stays at the prompt after "Invalid code" and accepts the next one', async () => {
    const good = makeCode()
    const { flow, tokens } = build({ goodCode: good, reject: 'invalid-code' })
    await flow.start({})
    flow.submitCode('not-the-code#x')
    await waitFor(() => flow.state.kind === 'awaiting-code', { what: 'retry state' })
    expect(flow.state).toMatchObject({ kind: 'awaiting-code', attempt: 1, error: 'Invalid code. Please make sure the full code was copied.' })
    flow.submitCode(good)
    await waitFor(() => flow.state.kind === 'succeeded', { what: 'success' })
    expect(await tokens.load()).toMatch(/^sk-ant-oat01-[\w-]{95}$/)
  })

  it('five tasks failing for auth at once start one setup-token', async () => {
    const { flow, ptys } = build({ goodCode: makeCode() })
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((taskId) => flow.start({ taskId })))
    expect(ptys).toHaveLength(1)
    expect((await fakeLog()).filter((l) => l.startsWith('start'))).toHaveLength(1)
    const urls = new Set(outcomes.map((o) => (o.kind === 'url' ? o.loginUrl : o.kind)))
    expect(urls.size).toBe(1)
    expect(outcomes.filter((o) => o.kind === 'url' && !o.joined)).toHaveLength(1)
    expect(flow.state).toMatchObject({ kind: 'awaiting-code', taskIds: ['a', 'b', 'c', 'd', 'e'] })
    // A late sixth task joins the flow that already has its URL.
    expect(await flow.start({ taskId: 'f' })).toMatchObject({ kind: 'url', joined: true })
    expect(ptys).toHaveLength(1)
  })

  it('gives the fallback notice when no URL appears within 30 s (injected clock)', async () => {
    const timers = new ManualTimers()
    const { flow, ptys } = build({ mode: 'no-url' }, { timers })
    const outcome = flow.start({ taskId: 't1' })
    await waitFor(() => ptys.length === 1)
    await waitFor(() => timers.size > 0)
    const gone = exited(ptys[0]!)
    timers.advance(29_999)
    expect(flow.state.kind).toBe('starting')
    timers.advance(1)
    expect(await outcome).toEqual({ kind: 'unavailable', reason: 'no-url', notice: fallbackNotice('test-host') })
    expect(fallbackNotice('test-host')).toBe("Authentication required on daemon (test-host). Please run 'claude /login' on the daemon machine.")
    expect(flow.state).toMatchObject({ kind: 'failed', reason: 'no-url', taskIds: ['t1'] })
    await gone // the PTY was killed
  })

  it('gives the fallback notice at once when setup-token exits before a URL', async () => {
    const { flow } = build({ mode: 'exit-early' })
    expect(await flow.start({})).toMatchObject({ kind: 'unavailable', reason: 'no-url' })
  })

  it('ends the flow when no code arrives within 10 minutes (injected clock)', async () => {
    const timers = new ManualTimers()
    const { flow, ptys } = build({ goodCode: makeCode() }, { timers })
    expect((await flow.start({})).kind).toBe('url')
    const gone = exited(ptys[0]!)
    timers.advance(10 * 60_000 - 1)
    expect(flow.state.kind).toBe('awaiting-code')
    timers.advance(1)
    expect(flow.state).toMatchObject({ kind: 'failed', reason: 'code-timeout' })
    await gone
    expect(flow.submitCode(makeCode())).toEqual({ kind: 'no-pending-flow' })
  })

  it('cancel kills setup-token and a new start spawns a fresh one', async () => {
    const { flow, ptys } = build({ goodCode: makeCode() })
    await flow.start({})
    const gone = exited(ptys[0]!)
    expect(flow.cancel()).toBe(true)
    expect(flow.state).toMatchObject({ kind: 'failed', reason: 'cancelled' })
    await gone
    expect(flow.cancel()).toBe(false)
    expect((await flow.start({})).kind).toBe('url')
    expect(ptys).toHaveLength(2)
  })

  it('writes the code with Enter and one more Enter 100 ms later', async () => {
    const writes: { data: string; at: number }[] = []
    const timers = new ManualTimers()
    const { flow } = build(
      { goodCode: makeCode() },
      {
        timers,
        spawn: (file, args, opts) => {
          const p = spawnPty(file, args, opts)
          const write = p.write.bind(p)
          return Object.assign(p, { write: (d: string) => (writes.push({ data: d, at: timers.now() }), write(d)) }) as PtyLike
        },
      },
    )
    await flow.start({})
    const t0 = timers.now()
    flow.submitCode('  abcdef#ghijkl \n')
    // Held until the paste prompt is drawn below the URL, then written once.
    await waitFor(() => writes.length > 0, { what: 'the code write' })
    expect(writes).toEqual([{ data: 'abcdef#ghijkl\r', at: t0 }])
    timers.advance(99)
    expect(writes).toHaveLength(1)
    timers.advance(1)
    expect(writes).toEqual([{ data: 'abcdef#ghijkl\r', at: t0 }, { data: '\r', at: t0 + 100 }])
  })
})
