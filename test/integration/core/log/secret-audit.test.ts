// Secrets never reach the log file or task output, at the most verbose log level, across a whole
// session: the core connects to a Makima server with an API key (and a password in its URL), an
// agent run with the REAL Claude CLI whose model key is in its environment prints its tool key and
// environment, and the user signs in (setup-token's code exchange is the fake). Afterwards the log
// file, its rotations, the stored task output and every bridge event are searched for each secret.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../../src-main/core/config/load'
import { startCore, type Core } from '../../../../src-main/core/start'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { FakeServer } from '../../../fixtures/fake-server/server'
import { claudeWithFakeSetupToken, makeCode, makeToken } from '../../../fixtures/fake-setup-token'
import { makeRepo, TempDirs } from '../../../fixtures/git/repos'
import { startModelServer, text, toolUse, type ModelServer } from '../../../fixtures/model-server'

const dirs = new TempDirs()
const SERVER_KEY = 'mk_live_audit_server_key_5d1f9a'
const URL_PASSWORD = 'url-password-7c3e9b1a'
const MODEL_KEY = 'model-key-not-anthropic-shaped-42aa'
const TOKEN = makeToken()
const CODE = makeCode()
const who = { trusted: true, label: 'test' }
let core: Core | undefined
let server: FakeServer | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined
let restoreEnv: () => void = () => undefined

afterAll(async () => {
  await core?.stop()
  await server?.stop()
  await model?.close()
  await env?.cleanup()
  restoreEnv()
  dirs.cleanup()
})

async function poll<T>(f: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await f()
    if (ok(v)) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe.runIf(claudeAvailable())('secrets across a whole session', () => {
  it('no API key, URL password, model key, tool key, login code or token in the log file, output or events', async () => {
    server = new FakeServer({ acceptedKeys: [SERVER_KEY] })
    await server.start()
    model = await startModelServer({
      turns: [toolUse('Bash', { command: 'echo "tool key: $MAKIMA_API_KEY"; env | grep -E "MAKIMA_API_KEY|ANTHROPIC_API_KEY"; echo "url: $MAKIMA_API_URL"' }), text('Printed the environment.')],
    })
    env = await claudeEnv({ baseUrl: model.url, apiKey: MODEL_KEY })
    const claude = await claudeWithFakeSetupToken(dirs.make('makima-audit-bin-'), { realClaude: CLAUDE_BIN, code: CODE, token: TOKEN })
    restoreEnv = claude.restore

    const dataDir = dirs.make('makima-audit-')
    const serverUrl = server.url.replace('://', `://daemon:${URL_PASSWORD}@`)
    const loaded = await loadConfig({
      argv: ['--data-dir', dataDir, '--log-level', 'trace', '-s', serverUrl, '-k', SERVER_KEY],
      env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: claude.command }, cwd: dataDir, home: dataDir, etcDir: dataDir,
    })
    if (loaded.kind !== 'config') throw new Error(`no config: ${JSON.stringify(loaded)}`)
    expect(loaded.config.log.level).toBe('trace') // the most verbose level
    core = await startCore(loaded.config, { mode: 'daemon', stderr: null, agentEnv: env.env })
    const events: string[] = []
    core.events.onAny((name, payload) => events.push(JSON.stringify({ name, payload })))
    const toolKeys: string[] = []
    core.manager.onEvent((e) => e.type === 'registerToolKey' && toolKeys.push(e.key))
    await server.waitFor({ type: 'authenticate' }, 20_000)

    // An agent run (an orchestrator, so it holds a tool key) that prints its tool key and environment.
    const repo = makeRepo(dirs)
    const created = await core.dispatch('createTask', { name: 'Print env', plan: 'Print the environment', repoUrl: repo, mode: 'orchestrator' }, who)
    if (!created.ok) throw new Error(created.message)
    const { taskId } = created.value as { taskId: string }
    await poll(() => core!.tasks.get(taskId)?.state, (s) => s === 'completed' || s === 'failed', 120_000, 'the agent run')
    const output = core.output.page(taskId, 0, 100_000).map((l) => l.data).join('\n')
    expect(output).toContain('tool key: [REDACTED]') // the agent did print it, and it was masked
    expect(output).toContain('ANTHROPIC_API_KEY=[REDACTED]')

    // A login: code in, token out.
    expect(await core.dispatch('startLogin', undefined, who)).toMatchObject({ ok: true })
    await poll(() => core!.auth.loginState.kind, (k) => k === 'awaiting-code', 30_000, 'the login URL')
    expect(await core.dispatch('submitAuthCode', { code: CODE }, who)).toMatchObject({ ok: true })
    await poll(() => core!.auth.loginState.kind, (k) => k === 'succeeded' || k === 'failed', 30_000, 'the code exchange')
    expect(core.auth.loginState.kind).toBe('succeeded')
    // The server saw the run (its output went through the outbox).
    await server.waitFor({ type: 'taskComplete', taskId }, 30_000)

    await core.stop()
    core = undefined
    const logsDir = join(dataDir, 'logs')
    let logText = ''
    for (const f of await readdir(logsDir)) logText += await readFile(join(logsDir, f), 'utf8')
    expect(logText).toContain('core started')
    expect(logText).toContain('ws://daemon:[REDACTED]@127.0.0.1') // the URL is logged, its password is not
    expect(toolKeys.length).toBeGreaterThan(0)
    const sent = JSON.stringify(server.messages.map((m) => m.message).filter((m) => (m as { type?: string } | undefined)?.type === 'taskOutput'))
    const secrets = [SERVER_KEY, URL_PASSWORD, MODEL_KEY, TOKEN, CODE, CODE.split('#')[0]!, CODE.split('#')[1]!, ...toolKeys]
    for (const secret of secrets) {
      expect(logText, 'log file').not.toContain(secret)
      expect(output, 'task output').not.toContain(secret)
      expect(events.join('\n'), 'bridge events').not.toContain(secret)
      expect(sent, 'output sent to the server').not.toContain(secret)
    }
  }, 240_000)
})
