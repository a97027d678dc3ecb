// LoginFlow's state machine against a scripted terminal and a manual clock: the paths a real
// setup-token cannot be made to take on demand.
import { describe, expect, it } from 'vitest'
import { LoginFlow, PTY_COLUMNS, type LoginState } from '../../../../src-main/core/auth/login-flow'
import type { PtyLike, PtySpawnOptions } from '../../../../src-main/core/auth/pty'
import { MemoryTokenStore, type TokenStore } from '../../../../src-main/core/auth/token-store'
import { ManualTimers, capturingLogger } from '../../../fixtures/fake-setup-token'

const ESC = '\u001b'
const BEL = '\u0007'
const URL1 = 'https://claude.com/cai/oauth/authorize?code=true&state=first'
const URL2 = 'https://claude.com/cai/oauth/authorize?code=true&state=second'
const TOKEN = 'sk-ant-oat01-' + 'x'.repeat(95)
const urlScreen = (url: string) => `${ESC}]8;id=1;${url}${BEL}${url}${ESC}]8;;${BEL}\r\r\n\r\r\n${ESC}[2GPaste${ESC}[8Gcode${ESC}[13Ghere${ESC}[18Gif${ESC}[21Gprompted\r\r\n`

class ScriptedPty implements PtyLike {
  readonly pid = 4242
  writes: string[] = []
  killed = false
  private dataL: ((d: string) => void)[] = []
  private exitL: ((e: { exitCode: number }) => void)[] = []
  onData(l: (d: string) => void) {
    this.dataL.push(l)
    return { dispose: () => (this.dataL = this.dataL.filter((x) => x !== l)) }
  }
  onExit(l: (e: { exitCode: number }) => void) {
    this.exitL.push(l)
    return { dispose: () => (this.exitL = this.exitL.filter((x) => x !== l)) }
  }
  write(d: string) {
    this.writes.push(d)
  }
  kill() {
    this.killed = true
  }
  emit(d: string) {
    for (const l of this.dataL) l(d)
  }
  exit(exitCode: number) {
    for (const l of this.exitL) l({ exitCode })
  }
}

function setup(o: { tokens?: TokenStore; spawnError?: Error } = {}) {
  const timers = new ManualTimers()
  const pty = new ScriptedPty()
  const spawns: { file: string; args: string[]; opts: PtySpawnOptions }[] = []
  const tokens = o.tokens ?? new MemoryTokenStore()
  const { log, redactor } = capturingLogger()
  const flow = new LoginFlow({
    command: '/opt/claude', preArgs: ['--pre'], env: { PATH: '/bin', TERM: 'xterm-256color' }, cwd: '/tmp', tokens, redactor, log, hostname: 'h', timers,
    spawn: (file, args, opts) => {
      if (o.spawnError) throw o.spawnError
      spawns.push({ file, args, opts })
      return pty
    },
  })
  const states: LoginState[] = []
  flow.onStateChange((s) => states.push(s))
  return { flow, pty, timers, spawns, tokens, states }
}

describe('LoginFlow (scripted terminal)', () => {
  it('runs `<command> [preArgs] setup-token` in a 200-column terminal without browser or colour', async () => {
    const { flow, pty, spawns } = setup()
    const started = flow.start({ taskId: 't' })
    expect(spawns).toEqual([{ file: '/opt/claude', args: ['--pre', 'setup-token'], opts: { cols: PTY_COLUMNS, rows: 24, cwd: '/tmp', env: { PATH: '/bin', TERM: 'dumb', BROWSER: 'false', NO_COLOR: '1' } } }])
    pty.emit(urlScreen(URL1))
    expect(await started).toEqual({ kind: 'url', loginUrl: URL1, hostname: 'h', joined: false })
  })

  it('answers submitCode by state', async () => {
    const { flow, pty } = setup()
    expect(flow.submitCode('abcdefgh')).toEqual({ kind: 'no-pending-flow' })
    void flow.start()
    expect(flow.submitCode('   ')).toEqual({ kind: 'empty' })
    expect(flow.submitCode('abcdefgh')).toEqual({ kind: 'not-ready', state: 'starting' })
    pty.emit(urlScreen(URL1))
    expect(flow.submitCode('abcdefgh')).toEqual({ kind: 'written', attempt: 1 })
    expect(flow.submitCode('abcdefgh')).toEqual({ kind: 'not-ready', state: 'verifying' })
  })

  it('a code pasted on the retry screen waits; Enter brings the prompt back with a new URL; then it is written', async () => {
    const { flow, pty, timers } = setup()
    void flow.start()
    pty.emit(urlScreen(URL1))
    flow.submitCode('first-code#s')
    expect(pty.writes).toEqual(['first-code#s\r'])
    pty.emit(`\r\r\n${ESC}[31mOAuth error: Request failed with status code 400${ESC}[39m\r\r\n\r\r\nPress Enter to retry.\r\r\n`)
    expect(flow.state).toMatchObject({ kind: 'awaiting-code', loginUrl: URL1, error: 'OAuth error: Request failed with status code 400' })
    timers.advance(100) // the extra Enter after the code
    expect(pty.writes).toEqual(['first-code#s\r', '\r'])
    expect(flow.submitCode('second-code#s')).toEqual({ kind: 'written', attempt: 2 })
    expect(pty.writes).toHaveLength(2) // held: the screen has no prompt
    timers.advance(400) // still no prompt: the flow presses Enter itself
    expect(pty.writes).toEqual(['first-code#s\r', '\r', '\r'])
    pty.emit(urlScreen(URL2))
    expect(flow.state).toMatchObject({ kind: 'verifying', loginUrl: URL2, attempt: 2 })
    expect(pty.writes).toEqual(['first-code#s\r', '\r', '\r', 'second-code#s\r'])
  })

  it('does not press Enter itself when the prompt came back by the extra Enter', () => {
    const { flow, pty, timers } = setup()
    void flow.start()
    pty.emit(urlScreen(URL1))
    flow.submitCode('first-code#s')
    pty.emit('OAuth error: boom\r\nPress Enter to retry.\r\n')
    timers.advance(100)
    pty.emit(urlScreen(URL2))
    timers.advance(1000)
    expect(pty.writes).toEqual(['first-code#s\r', '\r'])
    expect(flow.state).toMatchObject({ kind: 'awaiting-code', loginUrl: URL2 })
  })

  it('takes the token when the CLI exits right after printing it', async () => {
    const { flow, pty, tokens } = setup()
    void flow.start()
    pty.emit(urlScreen(URL1))
    flow.submitCode('good-code#s')
    pty.emit(`Your OAuth token (valid for 1 year):\r\r\n\r\r\n${ESC}[33m${TOKEN.slice(0, 50)}${ESC}[39m\r\r\n${ESC}[33m${TOKEN.slice(50)}`)
    expect(flow.state.kind).toBe('verifying') // the token might continue
    pty.exit(0)
    await new Promise((r) => setImmediate(r))
    expect(flow.state.kind).toBe('succeeded')
    expect(await tokens.load()).toBe(TOKEN)
    expect(pty.killed).toBe(false) // it had exited: its pid may name another process now
  })

  it('fails with "exited" when setup-token dies while waiting for a code', async () => {
    const { flow, pty } = setup()
    void flow.start()
    pty.emit(urlScreen(URL1))
    pty.exit(1)
    expect(flow.state).toMatchObject({ kind: 'failed', reason: 'exited' })
    expect(pty.killed).toBe(false) // no signal to a pid that is free again
  })

  it('fails with "store-failed" when the token cannot be stored', async () => {
    const broken: TokenStore = { load: async () => null, save: async () => Promise.reject(new Error('disk full')), clear: async () => {} }
    const { flow, pty } = setup({ tokens: broken })
    void flow.start()
    pty.emit(urlScreen(URL1))
    flow.submitCode('good-code#s')
    pty.emit(`${TOKEN}\r\n\r\nStore this token securely.\r\n`)
    await new Promise((r) => setImmediate(r))
    expect(flow.state).toMatchObject({ kind: 'failed', reason: 'store-failed' })
  })

  it('reports a command that cannot start', async () => {
    const { flow } = setup({ spawnError: new Error('ENOENT') })
    expect(await flow.start({ taskId: 't' })).toEqual({ kind: 'unavailable', reason: 'spawn-failed', notice: "Authentication required on daemon (h). Please run 'claude /login' on the daemon machine." })
    expect(flow.state).toMatchObject({ kind: 'failed', reason: 'spawn-failed', taskIds: ['t'] })
  })

  it('a task joining while the URL is awaited is added to the flow', async () => {
    const { flow, pty, states } = setup()
    const a = flow.start({ taskId: 'a' })
    const b = flow.start({ taskId: 'b' })
    pty.emit(urlScreen(URL1))
    expect(await a).toMatchObject({ joined: false })
    expect(await b).toMatchObject({ joined: true, loginUrl: URL1 })
    expect(states.map((s) => [s.kind, 'taskIds' in s ? s.taskIds : []])).toEqual([['starting', ['a']], ['starting', ['a', 'b']], ['awaiting-code', ['a', 'b']]])
  })
})
