// The transcript reads as a conversation: the user's plan and follow-up are user turns, the agent's
// final text is shown once (not again as the result line), and every turn shows its usage, with a
// running total for the task. The real Claude Code CLI runs against a scripted model.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: AgentApp
let page: Page

beforeAll(async () => {
  app = await startAgentApp({ model: { turns: [text('Greeting written, ZEBRA.'), text('Farewell written, OKAPI.')] }, claude: { apiKey: 'sk-test-e2e' } })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1

describe.runIf(hasChromium && claudeAvailable())('the conversation', () => {
  it('shows the plan and a follow-up as user turns, each result once, per-turn usage and a total', async () => {
    await createTaskInUi(page, { name: 'Greet', plan: 'Please write a friendly greeting.', repo: makeRepo(dirs) })
    const out = page.locator('[data-testid="output"]')
    await expect.poll(() => out.textContent(), { timeout: 60_000 }).toContain('Greeting written, ZEBRA.')
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe('completed')

    await page.getByLabel('Message to the agent').fill('Now say goodbye as well.')
    await page.keyboard.press('Enter')
    await expect.poll(() => out.textContent(), { timeout: 90_000 }).toContain('Farewell written, OKAPI.')
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe('completed')

    expect(await page.locator('[data-testid="user-turn"]').allTextContents()).toEqual(['YouPlease write a friendly greeting.', 'YouNow say goodbye as well.'])
    const transcript = (await out.textContent()) ?? ''
    expect(count(transcript, 'Greeting written, ZEBRA.')).toBe(1)
    expect(count(transcript, 'Farewell written, OKAPI.')).toBe(1)
    expect(transcript).not.toContain('Continuing the conversation')
    // Each turn: duration, cost and tokens (the scripted model reports 10 in / 5 out per request).
    const results = await page.locator('[data-testid="turn-result"]').allTextContents()
    expect(results).toHaveLength(2)
    for (const r of results) expect(r).toMatch(/^Turn finished\. · \d+\.\d s · \$\d+\.\d{4} · \d+ in \/ \d+ out tokens$/)
    // The lifecycle is in the daemon log at info, with the task's name and id.
    const log = readFileSync(join(app.dataDir, 'logs', 'daemon.log'), 'utf8')
    const id = app.core.tasks.list({})[0]!.id
    for (const event of ['"task running"', '"task completed"']) expect(log.split('\n').find((l) => l.includes(event) && l.includes('"name":"Greet"') && l.includes(id) && l.includes('"info"'))).toBeTruthy()
    expect(await page.locator('[data-testid="usage-total"]').textContent()).toMatch(/^Total · 2 turns · \d+\.\d s · \$\d+\.\d{4} · \d+ in \/ \d+ out tokens$/)
  }, 240_000)
})
