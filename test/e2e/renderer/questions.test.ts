// A supervisor contract started from the UI whose agent (REAL Claude CLI, scripted model) runs the
// real `makima supervisor ask` through its Bash tool; the question appears in the app, the user
// clicks an answer, and the waiting CLI hands it back to the agent.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: AgentApp
let page: Page
let toolResults: string[] = []

beforeAll(async () => {
  app = await startAgentApp({
    model: {
      respond: (ctx) => {
        if (!ctx.lastMessageHasToolResult) {
          return toolUse('Bash', { command: 'makima supervisor ask "Ship the release today?" --choices "Yes, ship it,Not yet" --timeout 300', description: 'ask the user', timeout: 600_000 })
        }
        const last = ctx.body.messages?.at(-1)
        toolResults = Array.isArray(last?.content) ? (last.content as { type: string; content?: unknown }[]).filter((b) => b.type === 'tool_result').map((b) => JSON.stringify(b.content)) : []
        return text('The user answered; proceeding.')
      },
    },
    claude: { apiKey: 'sk-test' },
    viewport: { width: 1400, height: 850 },
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
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
