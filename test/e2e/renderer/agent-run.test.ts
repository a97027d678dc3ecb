// The whole product path as a user walks it: the New task dialog in real Chromium → the real core →
// the REAL Claude Code CLI (scripted model) in a real git worktree → live output in the UI →
// follow-up state. Only the model behind the CLI is scripted.
import { readFileSync } from 'node:fs'
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
import { reply, startModelServer, text, toolUse, type ModelServer } from '../../fixtures/model-server'

const dirs = new TempDirs()
let core: Core
let web: WebServer
let browser: Browser
let page: Page
let model: ModelServer
let env: ClaudeEnv
let repo: string

beforeAll(async () => {
  repo = makeRepo(dirs)
  model = await startModelServer({
    turns: [
      reply({ blocks: [{ type: 'text', text: 'Reading the task.' }, { type: 'tool_use', name: 'Write', input: { file_path: 'greeting.txt', content: 'hello from the agent\n' } }], stopReason: 'tool_use' }),
      text('All done: greeting.txt written.'),
      toolUse('Write', { file_path: 'farewell.txt', content: 'goodbye from the agent\n' }),
      text('Follow-up done: farewell.txt written.'),
    ],
  })
  env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test-e2e' })
  const data = await mkdtemp(join(tmpdir(), 'makima-e2e-'))
  const loaded = await loadConfig({ argv: ['--data-dir', data], env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }, cwd: data, home: data, etcDir: data })
  if (loaded.kind !== 'config') throw new Error('no config')
  core = await startCore(loaded.config, { mode: 'daemon', stderr: null, agentEnv: env.env })
  web = await startWebServer({ rendererDir: await buildRenderer(), dispatch: core.dispatch, events: core.events, log: core.log })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
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

describe.runIf(hasChromium && claudeAvailable())('an agent run started from the UI', () => {
  it('creates the task, streams the transcript, and ends Done with the file in its own worktree', async () => {
    await page.locator('[data-testid="new-task"]').click()
    await page.getByLabel('Name', { exact: true }).fill('Write a greeting')
    await page.getByLabel('Plan', { exact: true }).fill('Create greeting.txt with a friendly hello.')
    await page.getByLabel('Repository', { exact: true }).fill(repo)
    await page.getByRole('button', { name: 'Start agent' }).click()

    const out = page.locator('[data-testid="output"]')
    await expect.poll(() => out.textContent(), { timeout: 60_000 }).toContain('All done: greeting.txt written.')
    const transcript = (await out.textContent()) ?? ''
    expect(transcript).toContain('Reading the task.')
    expect(transcript).toContain('Write greeting.txt')
    await expect.poll(() => page.locator('.task-title [data-state]').getAttribute('data-state'), { timeout: 30_000 }).toBe('completed')

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
    await expect.poll(() => page.locator('.task-title [data-state]').getAttribute('data-state'), { timeout: 30_000 }).toBe('completed')
    const [task] = core.tasks.list({})
    expect(readFileSync(join(task!.worktreePath!, 'farewell.txt'), 'utf8')).toBe('goodbye from the agent\n')
    // The model saw the first conversation: the follow-up resumed the session.
    const last = JSON.stringify(model.conversationRequests().at(-1)!.json)
    expect(last).toContain('greeting.txt')
    expect(last).toContain('Now write farewell.txt too.')
  }, 120_000)

  it('refuses a task whose repository does not exist, with a message in the dialog', async () => {
    await page.locator('[data-testid="new-task"]').click()
    await page.getByLabel('Name', { exact: true }).fill('Broken')
    await page.getByLabel('Plan', { exact: true }).fill('x')
    await page.getByLabel('Repository', { exact: true }).fill(join(repo, 'nope'))
    await page.getByRole('button', { name: 'Start agent' }).click()
    // The spawn is accepted, then setup fails: the task shows Failed with the reason.
    await expect.poll(() => page.locator('.task-title [data-state]').getAttribute('data-state'), { timeout: 30_000 }).toBe('failed')
    expect(await page.locator('.task-head .error').textContent()).toMatch(/nope|not a git repository|does not exist/i)
  })
})
