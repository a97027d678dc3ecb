// A supervisor contract started from the UI whose agent (REAL Claude CLI, scripted model) runs the
// real `makima supervisor ask` through its Bash tool; the question appears in the app, the user
// clicks an answer, and the waiting CLI hands it back to the agent.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src-main/core/config/load'
import { startCore, type Core } from '../../../src-main/core/start'
import { startWebServer, type WebServer } from '../../../src-main/core/web/server'
import { buildRenderer, hasChromium, launchChromium } from '../../fixtures/browser/chromium'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { startModelServer, text, toolUse, type ModelServer } from '../../fixtures/model-server'

const dirs = new TempDirs()
let core: Core
let web: WebServer
let browser: Browser
let page: Page
let model: ModelServer
let env: ClaudeEnv
let toolResults: string[] = []

beforeAll(async () => {
  model = await startModelServer({
    respond: (ctx) => {
      if (!ctx.lastMessageHasToolResult) {
        return toolUse('Bash', { command: 'makima supervisor ask "Ship the release today?" --choices "Yes, ship it,Not yet" --timeout 300', description: 'ask the user', timeout: 600_000 })
      }
      const last = ctx.body.messages?.at(-1)
      toolResults = Array.isArray(last?.content) ? (last.content as { type: string; content?: unknown }[]).filter((b) => b.type === 'tool_result').map((b) => JSON.stringify(b.content)) : []
      return text('The user answered; proceeding.')
    },
  })
  env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
  const data = await mkdtemp(join(tmpdir(), 'makima-e2e-'))
  const loaded = await loadConfig({ argv: ['--data-dir', data], env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }, cwd: data, home: data, etcDir: data })
  if (loaded.kind !== 'config') throw new Error('no config')
  core = await startCore(loaded.config, { mode: 'daemon', stderr: null, agentEnv: env.env })
  web = await startWebServer({ rendererDir: await buildRenderer(), dispatch: core.dispatch, events: core.events, log: core.log })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1400, height: 850 } })
  await page.goto(web.url)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.close()
  await core?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

describe.runIf(hasChromium && claudeAvailable())('questions from a supervisor', () => {
  it('shows the question the agent asked through the makima CLI and returns the clicked answer to it', async () => {
    const repo = makeRepo(dirs)
    await page.locator('[data-testid="new-task"]').click()
    await page.getByLabel('Name', { exact: true }).fill('Release train')
    await page.getByLabel('Plan', { exact: true }).fill('Decide with the user whether to ship.')
    await page.getByLabel('Repository', { exact: true }).fill(repo)
    await page.getByLabel('Mode').selectOption('contract')
    await page.getByRole('button', { name: 'Start agent' }).click()

    await expect.poll(() => page.locator('[data-testid="contract-bar"]').textContent(), { timeout: 30_000 }).toContain('Release train')
    const card = page.locator('[data-testid="question"]')
    await expect.poll(() => card.textContent(), { timeout: 90_000 }).toContain('Ship the release today?')
    await page.screenshot({ path: join(tmpdir(), 'makima-question.png') })
    await card.getByRole('button', { name: 'Not yet' }).click()

    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => page.locator('[data-testid="output"]').textContent(), { timeout: 90_000 }).toContain('The user answered; proceeding.')
    expect(toolResults.join('\n')).toContain('Not yet')
  }, 240_000)
})
