// Through the Electron seam (see agent-run.test.ts): a supervisor contract started from the New
// task dialog whose agent (REAL Claude CLI, scripted model) runs the bundled `makima supervisor ask`;
// the question reaches the window as an event, the user clicks an answer, and the CLI hands it back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { createTaskInUi } from '../../fixtures/browser/app'
import { startSeamApp, type SeamApp } from '../../fixtures/electron-seam'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: SeamApp
let toolResults: string[] = []

// A missing Chromium or Claude CLI fails the run with the install hint (test/fixtures/tools.ts); only
// an explicit MAKIMA_TEST_SKIP skips, and the run's summary says so.
describe.runIf(hasChromium && claudeAvailable())('a supervisor question through the Electron seam', () => {
  beforeAll(async () => {
    app = await startSeamApp({
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
      viewport: { width: 1400, height: 850 },
    })
  }, 240_000)

  afterAll(async () => {
    await app?.close()
    dirs.cleanup()
  })

  it('shows the question the agent asked and returns the clicked answer to the waiting CLI', async () => {
    const { page } = app
    await createTaskInUi(page, { name: 'Release train', plan: 'Decide with the user whether to ship.', repo: makeRepo(dirs), mode: 'contract' })

    const card = page.locator('[data-testid="question"]')
    await expect.poll(() => card.textContent(), { timeout: 120_000 }).toContain('Ship the release today?')
    await card.getByRole('button', { name: 'Not yet' }).click()

    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => page.locator('[data-testid="output"]').textContent(), { timeout: 120_000 }).toContain('The user answered; proceeding.')
    expect(toolResults.join('\n')).toContain('Not yet')
    expect(app.problems()).toEqual([])
  }, 300_000)
})
