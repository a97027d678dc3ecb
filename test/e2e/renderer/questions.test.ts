// A supervisor contract started from the UI whose agent (REAL Claude CLI, scripted model) runs the
// real `makima supervisor ask` through its Bash tool; the question appears in the app, the user
// clicks an answer, and the waiting CLI hands it back to the agent.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTaskInUi, startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { startModelServer, text, toolUse, type ModelServer } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: App
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
  app = await startApp({ env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }, core: { agentEnv: env.env }, viewport: { width: 1400, height: 850 } })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

describe.runIf(hasChromium && claudeAvailable())('questions from a supervisor', () => {
  it('shows the question the agent asked through the makima CLI and returns the clicked answer to it', async () => {
    const repo = makeRepo(dirs)
    await createTaskInUi(page, { name: 'Release train', plan: 'Decide with the user whether to ship.', repo, mode: 'contract' })

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
