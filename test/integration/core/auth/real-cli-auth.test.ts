// The real Claude Code CLI (2.1.331): its setup-token screen in a real PTY yields the login URL;
// its "Not logged in" and 401 "OAuth token has expired" sequences are detected, once per run; and a
// token captured from the (fake) setup-token lets the next real run through a model server that
// accepts only that token.
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuthErrorWatch, type AuthErrorMatch } from '../../../../src-main/core/auth/detect'
import { LoginFlow } from '../../../../src-main/core/auth/login-flow'
import { FileTokenStore, MemoryTokenStore, agentAuthEnv } from '../../../../src-main/core/auth/token-store'
import { CLAUDE_BIN, claudeAvailable, claudeEnv } from '../../../fixtures/claude-env'
import { FAKE_CLAUDE, capturingLogger, fakeSetupTokenEnv, makeCode, makeToken, waitFor } from '../../../fixtures/fake-setup-token'
import { httpError, startModelServer, text, type ModelServer } from '../../../fixtures/model-server'

const USER_LINE = JSON.stringify({ type: 'user', session_id: '', message: { role: 'user', content: [{ type: 'text', text: 'say hi' }] }, parent_tool_use_id: null })

interface Run {
  code: number | null
  lines: { stream: 'stdout' | 'stderr'; text: string }[]
}

/** One real headless run with one user line on stdin; stdin closes after the first `result`. */
function runClaude(env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLAUDE_BIN, ['-p', '--output-format', 'stream-json', '--input-format', 'stream-json', '--verbose'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    const lines: Run['lines'] = []
    const buf = { stdout: '', stderr: '' }
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8').on('data', (d: string) => {
        buf[stream] += d
        let nl
        while ((nl = buf[stream].indexOf('\n')) >= 0) {
          const text = buf[stream].slice(0, nl)
          buf[stream] = buf[stream].slice(nl + 1)
          if (text.trim()) lines.push({ stream, text })
          if (stream === 'stdout' && text.startsWith('{"') && text.includes('"type":"result"')) child.stdin.end()
        }
      })
    }
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, lines })
    })
    child.stdin.write(USER_LINE + '\n')
  })
}

function detectAll(run: Run): { matches: AuthErrorMatch[]; firedAt: number[] } {
  const watch = new AuthErrorWatch()
  const matches: AuthErrorMatch[] = []
  const firedAt: number[] = []
  run.lines.forEach((l, i) => {
    const m = watch.observe(l)
    if (m) {
      matches.push(m)
      firedAt.push(i)
    }
  })
  return { matches, firedAt }
}

const typeOf = (text: string): string | undefined => {
  try {
    return (JSON.parse(text) as { type?: string }).type
  } catch {
    return undefined
  }
}

let dir: string
let model: ModelServer | null = null
const cleanups: (() => Promise<void>)[] = []
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'makima-real-auth-'))
})
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
  await model?.close()
  model = null
  await rm(dir, { recursive: true, force: true })
})

describe.skipIf(!claudeAvailable())('real Claude Code CLI', () => {
  it('setup-token in a real PTY yields the login URL through OSC 8 and cursor moves', async () => {
    const env = await claudeEnv({ baseUrl: 'http://127.0.0.1:9' })
    cleanups.push(env.cleanup)
    delete env.env.ANTHROPIC_BASE_URL
    const { log, redactor } = capturingLogger()
    const flow = new LoginFlow({ command: CLAUDE_BIN, env: env.env, cwd: dir, tokens: new MemoryTokenStore(), redactor, log, hostname: 'h' })
    cleanups.push(async () => flow.dispose())
    const outcome = await flow.start({ taskId: 'real' })
    expect(outcome.kind).toBe('url')
    if (outcome.kind !== 'url') return
    // One URL, not the hyperlink target glued to its visible copy.
    expect(outcome.loginUrl).toMatch(/^https:\/\/(claude\.com\/cai|claude\.ai)\/oauth\/authorize\?\S+$/)
    expect(outcome.loginUrl.indexOf('https://', 8)).toBe(-1)
    expect([...outcome.loginUrl].every((c) => c.charCodeAt(0) > 0x20)).toBe(true)
    expect(flow.state.kind).toBe('awaiting-code')
    expect(flow.cancel()).toBe(true)
  })

  it('detects the real "Not logged in" sequence once, on the assistant error line', async () => {
    const env = await claudeEnv({ baseUrl: 'http://127.0.0.1:9' })
    cleanups.push(env.cleanup)
    delete env.env.ANTHROPIC_BASE_URL
    const run = await runClaude(env.env, dir)
    expect(run.code).toBe(1)
    const { matches, firedAt } = detectAll(run)
    expect(matches).toEqual([{ reason: 'not-logged-in', message: 'Not logged in · Please run /login', via: 'assistant-error' }])
    expect(typeOf(run.lines[firedAt[0]!]!.text)).toBe('assistant')
    // The result line alone (api_error_status null here) is also recognised, by its text.
    const result = run.lines.find((l) => typeOf(l.text) === 'result')!
    expect(new AuthErrorWatch().observe(result)).toMatchObject({ reason: 'not-logged-in', via: 'result-text' })
  })

  it('detects the real 401 "OAuth token has expired" sequence', async () => {
    const expired = 'OAuth token has expired. Please obtain a new token or refresh your existing token.'
    model = await startModelServer({ respond: () => httpError(401, expired), fallback: httpError(401, expired) })
    const env = await claudeEnv({ baseUrl: model.url, oauthToken: makeToken() })
    cleanups.push(env.cleanup)
    const run = await runClaude(env.env, dir)
    expect(run.code).toBe(1)
    expect(model.conversationRequests().length).toBeGreaterThan(0)
    const { matches, firedAt } = detectAll(run)
    expect(matches).toHaveLength(1)
    expect(matches[0]).toMatchObject({ reason: 'token-expired', via: 'assistant-error' })
    expect(matches[0]!.message).toContain('OAuth token has expired')
    expect(typeOf(run.lines[firedAt[0]!]!.text)).toBe('assistant')
    const result = run.lines.find((l) => typeOf(l.text) === 'result')!
    expect(JSON.parse(result.text)).toMatchObject({ is_error: true, api_error_status: 401 })
    expect(new AuthErrorWatch().observe(result)).toMatchObject({ reason: 'token-expired', via: 'result-status' })
  })

  it('a token from setup-token lets the next real run through a model that accepts only that token', async () => {
    const token = makeToken()
    const code = makeCode()
    const { log, redactor } = capturingLogger()
    const tokens = new FileTokenStore(join(dir, 'data'), redactor)
    const flow = new LoginFlow({
      command: FAKE_CLAUDE, env: fakeSetupTokenEnv({ goodCode: code, token }), cwd: dir, tokens, redactor, log, hostname: 'h',
    })
    cleanups.push(async () => flow.dispose())
    expect((await flow.start({})).kind).toBe('url')
    flow.submitCode(code)
    await waitFor(() => flow.state.kind === 'succeeded', { what: 'login success' })

    model = await startModelServer({ turns: [text('LOGGED-IN-OK')], requireAuth: token })
    const env = await claudeEnv({ baseUrl: model.url, extra: await agentAuthEnv(tokens) })
    cleanups.push(env.cleanup)
    expect(env.env.CLAUDE_CODE_OAUTH_TOKEN).toBe(token)
    const run = await runClaude(env.env, dir)
    const result = JSON.parse(run.lines.find((l) => typeOf(l.text) === 'result')!.text) as { is_error: boolean; result: string }
    expect(result).toMatchObject({ is_error: false, result: 'LOGGED-IN-OK' })
    expect(run.code).toBe(0)
    expect(detectAll(run).matches).toEqual([])
    expect(model.conversationRequests()[0]!.headers.authorization).toBe(`Bearer ${token}`)

    // And the same model turns any other token away, which the detector sees.
    const other = await claudeEnv({ baseUrl: model.url, oauthToken: makeToken() })
    cleanups.push(other.cleanup)
    const rejected = await runClaude(other.env, dir)
    expect(rejected.code).toBe(1)
    expect(detectAll(rejected).matches).toHaveLength(1)
  })
})
