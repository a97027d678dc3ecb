// Choosing the agent in the New task dialog (real Chromium → real core → the REAL Codex CLI against a
// scripted Responses API): the task runs on Codex, the list and the header say so, and a task left on
// the default runs on Claude.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../src-main/core/start'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { CODEX_BIN, codexAvailable, codexEnv, type AgentEnv } from '../../fixtures/codex-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text } from '../../fixtures/model-server'
import { call, say, startResponsesServer, type ResponsesServer } from '../../fixtures/openai-responses-server'

const dirs = new TempDirs()
let app: AgentApp | undefined
let core: Core
let page: Page
let openai: ResponsesServer | undefined
let codex: AgentEnv | undefined
let repo: string

const ready = hasChromium && claudeAvailable() && codexAvailable()

beforeAll(async () => {
  if (!ready) return
  repo = makeRepo(dirs)
  openai = await startResponsesServer({ turns: [call('exec_command', { cmd: 'printf codex > picked.txt' }), say('Codex finished.')] })
  codex = await codexEnv({ baseUrl: openai.url })
  // One HOME for both CLIs: Claude's sessions and Codex's config.toml live side by side in it.
  app = await startAgentApp({
    model: { turns: [text('Claude finished.')] },
    claude: { apiKey: 'sk-test-e2e', home: codex.home, extra: { OPENAI_API_KEY: codex.env.OPENAI_API_KEY! } },
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

describe.runIf(ready)('the agent picker', () => {
  it('runs the task on the agent picked in New task; the list and the header show it', async () => {
    await createTaskInUi(page, { name: 'On Codex', plan: 'Write picked.txt.', repo, agent: 'codex' })
    await expect.poll(() => shownState(page), { timeout: 90_000 }).toBe('completed')
    const row = page.locator('[data-testid="task-row"]', { hasText: 'On Codex' })
    expect(await row.locator('[data-testid="agent-tag"]').textContent()).toBe('Codex')
    expect(await page.locator('.task-head [data-testid="agent-tag"]').textContent()).toBe('Codex')
    const task = core.tasks.list({}).find((t) => t.name === 'On Codex')!
    expect(task.agent).toBe('codex')
    expect(readFileSync(join(task.worktreePath!, 'picked.txt'), 'utf8')).toBe('codex')
    await expect.poll(() => page.locator('[data-testid="output"]').textContent(), { timeout: 15_000 }).toContain('Codex finished.')
  }, 120_000)

  it('a task left on the default runs on Claude and says so', async () => {
    await createTaskInUi(page, { name: 'On default', plan: 'Say hi.' })
    const row = page.locator('[data-testid="task-row"]', { hasText: 'On default' })
    await expect.poll(() => row.locator('[data-testid="agent-tag"]').textContent(), { timeout: 30_000 }).toBe('Claude')
    await expect.poll(() => core.tasks.list({}).find((t) => t.name === 'On default')?.state, { timeout: 60_000 }).toBe('completed')
  }, 120_000)
})
