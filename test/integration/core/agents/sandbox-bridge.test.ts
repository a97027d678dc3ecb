// A sandboxed agent cannot drive the web bridge. The agent (real Claude CLI, scripted model) runs a
// probe through its Bash tool that reads the web UI's token from the data directory and asks the
// bridge for a terminal. Without the sandbox the probe gets a shell (so it can succeed); under
// bubblewrap the data directory is hidden, the token is unreadable, and the bridge refuses.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startCore, type Core } from '../../../../src-main/core/start'
import { WEB_TOKEN_FILE } from '../../../../src-main/core/web/auth'
import { appConfig } from '../../../fixtures/browser/app'
import { probeEnv, writeProbe } from '../../../fixtures/bridge-probe'
import { CLAUDE_BIN, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../../fixtures/git/repos'
import { startModelServer, text, toolUse, type ModelServer } from '../../../fixtures/model-server'

const dirs = new TempDirs()
let core: Core | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined
afterEach(async () => {
  await core?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})


/** Runs one task whose agent runs the probe; returns what the probe printed. */
async function probe(bubblewrap: boolean): Promise<string> {
  const data = dirs.make('makima-sbx-')
  const scripts = dirs.make('makima-probe-')
  const probePath = writeProbe(scripts)
  const renderer = join(scripts, 'renderer')
  mkdirSync(renderer)
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>')
  let result = ''
  let knowTask: (cmd: string) => void = () => undefined
  const command = new Promise<string>((r) => (knowTask = r))
  model = await startModelServer({
    respond: async (ctx) => {
      if (!ctx.lastMessageHasToolResult) return toolUse('Bash', { command: await command, description: 'probe the bridge' })
      result = JSON.stringify(ctx.body.messages?.at(-1)?.content)
      return text('done')
    },
  })
  env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
  const settings = { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN, MAKIMA_DAEMON_WEB_PORT: '0', ...(bubblewrap ? { MAKIMA_DAEMON_BUBBLEWRAP: 'true' } : {}) }
  core = await startCore(await appConfig(data, settings), { mode: 'daemon', stderr: null, rendererDir: renderer, agentEnv: env.env })
  const created = await core.dispatch('createTask', { name: 'Probe', plan: 'Run the probe.', repoUrl: makeRepo(dirs) }, { trusted: true, label: 'test' })
  if (!created.ok) throw new Error(created.message)
  const taskId = (created.value as { taskId: string }).taskId
  const vars = probeEnv({ tokenFile: join(data, WEB_TOKEN_FILE), webUrl: core.web!.url, taskId })
  knowTask(`${Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join(' ')} node '${probePath}'`)
  await expect.poll(() => result, { timeout: 90_000 }).not.toBe('')
  await core.stop()
  core = undefined
  return result
}

describe('the web bridge from inside an agent', () => {
  it('without the sandbox the probe reaches the bridge; under bubblewrap it is refused and the token unreadable', async () => {
    expect(await probe(false)).toMatch(/bridge: .*terminalId/)
    const boxed = await probe(true)
    expect(boxed).toContain('token: ENOENT')
    expect(boxed).toContain('bridge: refused 401')
  }, 240_000)
})
