// The auth service end to end with the fake setup-token: many tasks failing for auth share one
// login, the code comes as a server AUTH_CODE message, the token lands in a 0600 file, the failed
// tasks restart; and neither code nor token appears in any log line, event or task-output line.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuthService, parseAuthCodeMessage } from '../../../../src-main/core/auth/auth-service'
import { AuthErrorWatch } from '../../../../src-main/core/auth/detect'
import { LoginFlow } from '../../../../src-main/core/auth/login-flow'
import type { PtyLike } from '../../../../src-main/core/auth/pty'
import { spawnPty } from '../../../../src-main/core/auth/pty'
import { FileTokenStore, TOKEN_FILE_NAME, agentAuthEnv, type AuthFailedTask } from '../../../../src-main/core/auth/token-store'
import { Logger, type LogSink } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'
import { RotatingFile } from '../../../../src-main/core/log/rotating-file'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { OutputRepository } from '../../../../src-main/core/store/output-repository'
import { FAKE_CLAUDE, fakeSetupTokenEnv, makeCode, makeToken, waitFor } from '../../../fixtures/fake-setup-token'

let dir: string
let store: Store | null = null
const disposers: (() => unknown)[] = []
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'makima-auth-svc-'))
})
afterEach(async () => {
  for (const d of disposers.splice(0)) await d()
  store?.close()
  store = null
  await rm(dir, { recursive: true, force: true })
})

const NOT_LOGGED_IN = JSON.stringify({ type: 'assistant', message: { model: '<synthetic>', role: 'assistant', content: [{ type: 'text', text: 'Not logged in · Please run /login' }] }, error: 'authentication_failed' })

async function build(fake: { goodCode: string; token: string; reject?: 'oauth-error' | 'invalid-code' }) {
  const redactor = new Redactor()
  const stderrLines: string[] = []
  const sink: LogSink = { write: (l) => stderrLines.push(l) }
  const file = new RotatingFile({ path: join(dir, 'logs', 'makima.log'), maxBytes: 10 * 1024 * 1024, keep: 2 })
  await file.open()
  disposers.push(() => file.close())
  const log = new Logger({ level: 'trace', redactor, stderr: sink, file })
  const tokens = new FileTokenStore(join(dir, 'data'), redactor)
  const ptys: PtyLike[] = []
  const flow = new LoginFlow({
    command: FAKE_CLAUDE, env: fakeSetupTokenEnv({ ...fake, logFile: join(dir, 'fake.log') }), cwd: dir, tokens, redactor, log, hostname: 'box',
    spawn: (f, a, o) => {
      const p = spawnPty(f, a, o)
      ptys.push(p)
      return p
    },
  })
  disposers.push(() => flow.dispose())
  const events: string[] = [] // every event as it would cross the bridge
  flow.onStateChange((s) => events.push(JSON.stringify({ loginState: s })))
  flow.onAuthenticationRequired((e) => events.push(JSON.stringify({ authenticationRequired: e })))
  const auth = new AuthService({ flow, tokens, log })
  auth.failedTasks.onChange((t) => events.push(JSON.stringify({ authFailedTasks: t })))
  return { auth, flow, tokens, redactor, log, ptys, events, stderrLines, file, logPath: join(dir, 'logs', 'makima.log') }
}

describe('AuthService', () => {
  it('five tasks failing for auth start one login; an AUTH_CODE message finishes it; the tasks restart', async () => {
    const code = makeCode()
    const token = makeToken()
    const { auth, ptys, tokens } = await build({ goodCode: code, token })
    const ids = ['t1', 't2', 't3', 't4', 't5']
    const outcomes = await Promise.all(
      ids.map((taskId, i) => {
        const watch = new AuthErrorWatch()
        const match = watch.observe({ stream: 'stdout', text: NOT_LOGGED_IN })!
        return auth.reportAuthFailure({ taskId, sessionId: `session-${i}`, match })
      }),
    )
    expect(ptys).toHaveLength(1)
    expect(new Set(outcomes.map((o) => (o.kind === 'url' ? o.loginUrl : 'none'))).size).toBe(1)
    expect(auth.failedTasks.list().map((t) => t.taskId)).toEqual(ids)
    expect(auth.loginState).toMatchObject({ kind: 'awaiting-code', taskIds: ids, hostname: 'box' })

    expect(auth.handleServerMessage('t1', 'hello')).toEqual({ handled: false })
    expect(auth.handleServerMessage('t1', `AUTH_CODE: ${code}\n`)).toEqual({ handled: true, outcome: { kind: 'written', attempt: 1 } })
    await waitFor(() => auth.loginState.kind === 'succeeded', { what: 'login' })

    const file = join(dir, 'data', TOKEN_FILE_NAME)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect((await readFile(file, 'utf8')).trim()).toBe(token)
    expect(await tokens.load()).toBe(token)
    expect(await auth.agentEnv()).toEqual({ CLAUDE_CODE_OAUTH_TOKEN: token })

    const restarted: AuthFailedTask[] = []
    const result = await auth.restartAuthFailedTasks(async (t) => {
      if (t.taskId === 't3') throw new Error('worktree is gone')
      restarted.push(t)
    })
    expect(result).toEqual({ restarted: ['t1', 't2', 't4', 't5'], failed: [{ taskId: 't3', message: 'worktree is gone' }] })
    expect(restarted.map((t) => t.sessionId)).toEqual(['session-0', 'session-1', 'session-3', 'session-4'])
    expect(auth.failedTasks.list().map((t) => t.taskId)).toEqual(['t3'])
  })

  it('neither the code nor the token reaches a log line, an event or task output', async () => {
    const good = makeCode()
    const bad = makeCode()
    const token = makeToken()
    const { auth, redactor, log, events, stderrLines, file, logPath, tokens } = await build({ goodCode: good, token, reject: 'invalid-code' })
    store = await openStore({ path: join(dir, 'db.sqlite') })
    const output = new OutputRepository(store.db)

    const match = new AuthErrorWatch().observe({ stream: 'stdout', text: NOT_LOGGED_IN })!
    const outcome = await auth.reportAuthFailure({ taskId: 'task-1', match })
    // What the task manager shows in the task's output: the auth line and the login link.
    const taskLines = [{ kind: 'assistant', data: NOT_LOGGED_IN }, { kind: 'notice', data: outcome.kind === 'url' ? `Log in: ${outcome.loginUrl}` : outcome.notice }]

    auth.submitCode(bad)
    await waitFor(() => auth.loginState.kind === 'awaiting-code' && auth.loginState.attempt === 1, { what: 'retry' })
    // The server relays the code; the server layer logs the message it got (through the Redactor).
    const relayed = `AUTH_CODE:${good}`
    log.info('server sendMessage', { taskId: 'task-1', message: relayed })
    expect(auth.handleServerMessage('task-1', relayed).handled).toBe(true)
    await waitFor(() => auth.loginState.kind === 'succeeded', { what: 'login' })
    log.debug('agent env ready', { env: await agentAuthEnv(tokens) })
    // Registered the moment they were seen: masked even as bare values in free text.
    for (const v of [good, good.split('#')[0]!, bad, token]) expect(redactor.redactText(`x ${v} y`)).toBe('x [REDACTED] y')
    log.info(`spawning agent with CLAUDE_CODE_OAUTH_TOKEN=${token}`)
    taskLines.push({ kind: 'notice', data: redactor.redactText(`Logged in. Token ${token} stored.`) })
    output.append('task-1', taskLines)
    await file.close()

    const fileText = await readFile(logPath, 'utf8')
    const stored = output.page('task-1').map((l) => l.data).join('\n')
    const everything = [fileText, stderrLines.join(''), events.join('\n'), stored].join('\n')
    expect(stderrLines.length).toBeGreaterThan(5)
    expect(everything).toContain('[REDACTED]')
    for (const secret of [good, bad, token, ...good.split('#'), ...bad.split('#'), token.slice(13)]) {
      expect(everything.includes(secret), `leaked ${secret.slice(0, 4)}…`).toBe(false)
    }
  })
})

it('parseAuthCodeMessage', () => {
  expect(parseAuthCodeMessage('AUTH_CODE:  abc#def \n')).toBe('abc#def')
  expect(parseAuthCodeMessage('please AUTH_CODE:abc')).toBeNull()
})
