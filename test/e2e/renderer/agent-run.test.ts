// The whole product path as a user walks it: the New task dialog in real Chromium → the real core →
// the REAL Claude Code CLI (scripted model) in a real git worktree → live output in the UI →
// follow-up state. Only the model behind the CLI is scripted.
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../src-main/core/start'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { reply, text, toolUse, type ModelServer } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: AgentApp
let core: Core
let page: Page
let model: ModelServer
let repo: string

beforeAll(async () => {
  repo = makeRepo(dirs)
  app = await startAgentApp({
    model: {
      turns: [
        reply({ blocks: [{ type: 'text', text: 'Reading the task.' }, { type: 'tool_use', name: 'Write', input: { file_path: 'greeting.txt', content: 'hello from the agent\n' } }], stopReason: 'tool_use' }),
        text('All done: greeting.txt written.'),
        toolUse('Write', { file_path: 'farewell.txt', content: 'goodbye from the agent\n' }),
        text('Follow-up done: farewell.txt written.'),
      ],
    },
    claude: { apiKey: 'sk-test-e2e' },
  })
  ;({ core, page, model } = app)
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

describe.runIf(hasChromium && claudeAvailable())('an agent run started from the UI', () => {
  it('creates the task, streams the transcript, and ends Done with the file in its own worktree', async () => {
    await createTaskInUi(page, { name: 'Write a greeting', plan: 'Create greeting.txt with a friendly hello.', repo })

    const out = page.locator('[data-testid="output"]')
    await expect.poll(() => out.textContent(), { timeout: 60_000 }).toContain('All done: greeting.txt written.')
    const transcript = (await out.textContent()) ?? ''
    expect(transcript).toContain('Reading the task.')
    expect(transcript).toContain('Write greeting.txt')
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe('completed')

    const [task] = core.tasks.list({})
    expect(task!.worktreePath).toBeTruthy()
    expect(task!.worktreePath).not.toBe(repo)
    expect(readFileSync(join(task!.worktreePath!, 'greeting.txt'), 'utf8')).toBe('hello from the agent\n')

    await page.getByRole('tab', { name: 'Changes' }).click()
    await expect.poll(() => page.locator('[data-testid="diff"]').textContent(), { timeout: 15_000 }).toContain('+hello from the agent')
    await page.screenshot({ path: join(tmpdir(), 'makima-agent-run.png') })
  }, 120_000)

  it('continues the same session when the user sends a follow-up to the finished task', async () => {
    await page.getByRole('tab', { name: 'Output' }).click()
    await page.getByLabel('Message to the agent').fill('Now write farewell.txt too.')
    await page.keyboard.press('Enter')
    const out = page.locator('[data-testid="output"]')
    await expect.poll(() => out.textContent(), { timeout: 90_000 }).toContain('Follow-up done: farewell.txt written.')
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe('completed')
    const [task] = core.tasks.list({})
    expect(readFileSync(join(task!.worktreePath!, 'farewell.txt'), 'utf8')).toBe('goodbye from the agent\n')
    // The model saw the first conversation: the follow-up resumed the session.
    const last = JSON.stringify(model.conversationRequests().at(-1)!.json)
    expect(last).toContain('greeting.txt')
    expect(last).toContain('Now write farewell.txt too.')
  }, 120_000)

  it('refuses a task whose repository does not exist, with a message in the dialog', async () => {
    const before = core.tasks.list({}).length
    await createTaskInUi(page, { name: 'Broken', plan: 'x', repo: join(repo, 'nope') })
    // Checked before the task exists: the dialog says why, and no failed task is left behind.
    const dialog = page.getByRole('dialog', { name: 'New task' })
    await expect.poll(() => dialog.locator('[data-testid="repo-error"]').textContent(), { timeout: 30_000 }).toMatch(/nope.*does not exist/i)
    expect(core.tasks.list({})).toHaveLength(before)
    await page.keyboard.press('Escape')
  })
})
