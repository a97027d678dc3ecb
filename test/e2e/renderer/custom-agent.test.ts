// A custom agent: a command that speaks one of our dialects, configured by name in the TOML file
// (`[agent.<name>]` dialect + command). It is offered in New task, runs the task (here: the REAL
// Codex CLI under the name "my-codex", against a scripted Responses API), is read in its dialect
// (the transcript shows its tool call and words), and the list shows its name.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
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
let dataDir: string | undefined

const ready = hasChromium && claudeAvailable() && codexAvailable()

beforeAll(async () => {
  if (!ready) return
  openai = await startResponsesServer({ turns: [call('exec_command', { cmd: 'printf custom > custom.txt' }), say('Custom agent finished.')] })
  codex = await codexEnv({ baseUrl: openai.url })
  // The core reads makima-daemon.toml from its working directory (the data dir in these tests).
  dataDir = await mkdtemp(join(tmpdir(), 'makima-custom-agent-'))
  await writeFile(join(dataDir, 'makima-daemon.toml'), `[agent.my-codex]\ndialect = "codex"\ncommand = ${JSON.stringify(CODEX_BIN)}\nargs = []\n`)
  app = await startAgentApp({
    dataDir,
    model: { turns: [text('unused')] },
    claude: { apiKey: 'sk-test-e2e', home: codex.home, extra: { OPENAI_API_KEY: codex.env.OPENAI_API_KEY! } },
  })
  ;({ core, page } = app)
}, 120_000)

afterAll(async () => {
  await app?.close()
  await openai?.close()
  await codex?.cleanup()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
  dirs.cleanup()
})

describe.runIf(ready)('a custom agent', () => {
  it('is offered in New task, runs the task in its dialect and is shown by its name', async () => {
    await page.locator('[data-testid="new-task"]').click()
    const picker = page.locator('[data-testid="agent-picker"]')
    await expect.poll(() => picker.locator('option').allTextContents(), { timeout: 15_000, message: 'the picker lists the custom agent' }).toContain('my-codex (Codex dialect)')
    await page.getByRole('button', { name: 'Cancel' }).click()

    await createTaskInUi(page, { name: 'Custom run', plan: 'Write custom.txt.', repo: makeRepo(dirs), agent: 'my-codex' })
    await expect.poll(() => shownState(page), { timeout: 90_000, message: 'the custom agent task completes' }).toBe('completed')
    const task = core.tasks.list({}).find((t) => t.name === 'Custom run')!
    expect(task.agent).toBe('my-codex')
    expect(readFileSync(join(task.worktreePath!, 'custom.txt'), 'utf8')).toBe('custom')
    const row = page.locator('[data-testid="task-row"]', { hasText: 'Custom run' })
    expect(await row.locator('[data-testid="agent-tag"]').textContent()).toBe('my-codex')
    const out = page.locator('[data-testid="output"]')
    await expect.poll(() => out.textContent(), { timeout: 15_000 }).toContain('Custom agent finished.')
    expect(await out.locator('[data-testid="tool-call"]').first().textContent()).toContain('printf custom')
    // The run said which agent it started, by its custom name.
    expect(core.output.page(task.id, 0, 1000).map((l) => l.data).join('\n')).toMatch(/my-codex \S+ ready/)
  }, 180_000)
})
