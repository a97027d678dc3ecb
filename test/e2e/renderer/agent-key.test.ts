// The sign-in banner for an agent without a login flow (real Chromium → real core → the REAL Codex
// CLI against a scripted Responses API that accepts one key only): the rejected key raises the
// banner with an API key field; the key entered there is kept in a 0600 file, reaches the agent in
// its environment only — in no process's argv, not in the daemon log, not in the task output — and
// the restarted task runs with it.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../src-main/core/start'
import { agentKeyFileName } from '../../../src-main/core/auth/agent-keys'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { CODEX_BIN, codexAvailable, codexEnv, type AgentEnv } from '../../fixtures/codex-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text } from '../../fixtures/model-server'
import { call, httpFailure, say, startResponsesServer, type ResponsesServer } from '../../fixtures/openai-responses-server'

const GOOD_KEY = 'sk-good-Zq7Hk2LmXw9PBT4'
const dirs = new TempDirs()
let app: AgentApp | undefined
let core: Core
let page: Page
let openai: ResponsesServer | undefined
let codex: AgentEnv | undefined

const ready = hasChromium && claudeAvailable() && codexAvailable()

beforeAll(async () => {
  if (!ready) return
  // One key is accepted; with it the agent prints its own key variable (to be redacted) and waits
  // for the test to have looked at the running processes.
  let step = 0
  openai = await startResponsesServer({
    respond: (req) => {
      if (req.headers.authorization !== `Bearer ${GOOD_KEY}`) return httpFailure(401)
      return step++ === 0 ? call('exec_command', { cmd: 'echo "key=$OPENAI_API_KEY"; while [ ! -f GO ]; do sleep 0.1; done' }) : say('Codex signed in.')
    },
  })
  codex = await codexEnv({ baseUrl: openai.url, apiKey: 'sk-bad-key' })
  app = await startAgentApp({
    model: { turns: [text('unused')] },
    claude: { apiKey: 'sk-test-e2e', home: codex.home, extra: { OPENAI_API_KEY: 'sk-bad-key' } },
    env: { MAKIMA_DAEMON_AGENT_CODEX_COMMAND: CODEX_BIN },
  })
  ;({ core, page } = app)
}, 120_000)

afterAll(async () => {
  await app?.close()
  await openai?.close()
  await codex?.cleanup()
  dirs.cleanup()
})

/** Every readable process's argv, joined. */
function allCommandLines(): string {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8')
    } catch {
      return ''
    }
  }).join('\n')
}

describe.runIf(ready)('an API key from the sign-in banner', () => {
  it('a rejected key shows the banner with a key field; the entered key restarts the task, through the environment only', async () => {
    await createTaskInUi(page, { name: 'Keyed', plan: 'Sign in and work.', repo: makeRepo(dirs), agent: 'codex' })
    const banner = page.locator('[data-testid="login-banner"]')
    await expect.poll(() => banner.textContent(), { timeout: 90_000, message: 'the banner for Codex' }).toContain('OPENAI_API_KEY')
    const task = core.tasks.list({}).find((t) => t.name === 'Keyed')!
    expect(task.state).toBe('failed')

    await banner.getByLabel('OPENAI_API_KEY API key').fill(GOOD_KEY)
    await banner.getByRole('button', { name: 'Save key and restart' }).click()
    await expect.poll(() => banner.count(), { timeout: 15_000, message: 'the banner to go' }).toBe(0)

    // The restarted agent runs (waiting for GO): its key is in its environment, in nobody's argv.
    const pid = await expect.poll(() => core.tasks.get(task.id)?.agentPid ?? null, { timeout: 60_000, message: 'the restarted agent to run' }).not.toBeNull().then(() => core.tasks.get(task.id)!.agentPid!)
    await expect.poll(() => openai!.requests.some((r) => r.headers.authorization === `Bearer ${GOOD_KEY}`), { timeout: 60_000, message: 'a request with the new key' }).toBe(true)
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(`OPENAI_API_KEY=${GOOD_KEY}`)
    expect(allCommandLines()).not.toContain(GOOD_KEY)
    writeFileSync(join(task.worktreePath!, 'GO'), '')

    await expect.poll(() => shownState(page), { timeout: 90_000, message: 'the restarted task to complete' }).toBe('completed')
    await expect.poll(() => page.locator('[data-testid="output"]').textContent(), { timeout: 15_000 }).toContain('Codex signed in.')
    // Kept like the Claude token: a 0600 file in the data dir.
    const keyFile = join(app!.dataDir, agentKeyFileName('OPENAI_API_KEY'))
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(GOOD_KEY)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    // Never in the log or the task output (the agent's own echo of it is redacted).
    const output = core.output.page(task.id, 0, 100_000).map((l) => l.data).join('\n')
    expect(output).toContain('key=')
    expect(output).not.toContain(GOOD_KEY)
    const logFile = join(app!.dataDir, 'logs', 'daemon.log')
    expect(existsSync(logFile)).toBe(true)
    expect(readFileSync(logFile, 'utf8')).not.toContain(GOOD_KEY)
  }, 300_000)
})
