// In-app login as a user lives it: an agent run fails because Claude is not logged in (the REAL
// CLI says so), the app shows a sign-in banner with the link, the user pastes the code, the token
// is stored, and "Restart stopped tasks" resumes the task — which now succeeds against a model that
// accepts only that token. Only `setup-token`'s code exchange is a fake (it needs the real service).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../src-main/core/start'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { CLAUDE_BIN, claudeAvailable } from '../../fixtures/claude-env'
import { claudeWithFakeSetupToken, makeCode, makeToken } from '../../fixtures/fake-setup-token'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse } from '../../fixtures/model-server'

const dirs = new TempDirs()
const TOKEN = makeToken()
const CODE = makeCode()
let app: AgentApp
let core: Core
let page: Page
let restoreEnv: () => void = () => undefined

beforeAll(async () => {
  const claude = await claudeWithFakeSetupToken(dirs.make('makima-claude-wrapper-'), { realClaude: CLAUDE_BIN, code: CODE, token: TOKEN })
  restoreEnv = claude.restore

  app = await startAgentApp({
    model: { requireAuth: TOKEN, turns: [toolUse('Write', { file_path: 'after-login.txt', content: 'signed in\n' }), text('Done after login.')] },
    claude: {}, // no key, no token: "Not logged in"
    claudeCommand: claude.command,
  })
  ;({ core, page } = app)
}, 120_000)

afterAll(async () => {
  await app?.close()
  restoreEnv()
  dirs.cleanup()
})

describe.runIf(hasChromium && claudeAvailable())('signing in from the app', () => {
  it('detects the expired login, takes the pasted code, and restarts the stopped task', async () => {
    const repo = makeRepo(dirs)
    const created = await core.dispatch('createTask', { name: 'Needs login', plan: 'Write after-login.txt', repoUrl: repo }, { trusted: true, label: 'test' })
    expect(created.ok).toBe(true)
    const taskId = (created as { ok: true; value: { taskId: string } }).value.taskId

    // The real CLI reports "Not logged in"; the banner offers the sign-in link.
    const banner = page.locator('[data-testid="login-banner"]')
    await expect.poll(() => banner.textContent(), { timeout: 60_000 }).toContain('Paste the code')
    const href = await banner.getByRole('link', { name: 'Open sign-in page' }).getAttribute('href')
    expect(href).toMatch(/^https:\/\/(claude\.ai|claude\.com|console\.anthropic\.com)\//)
    await expect.poll(() => core.tasks.get(taskId)?.state, { timeout: 30_000 }).toBe('failed')

    await banner.getByLabel('Authorization code').fill(CODE)
    await banner.getByRole('button', { name: 'Submit' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Signed in to Claude' }).count(), { timeout: 30_000 }).toBe(1)

    await page.getByRole('button', { name: 'Restart stopped tasks' }).click()
    await expect.poll(() => core.tasks.get(taskId)?.state, { timeout: 60_000 }).toBe('completed')
    expect(await readFile(join(core.tasks.get(taskId)!.worktreePath!, 'after-login.txt'), 'utf8')).toBe('signed in\n')

    // The code and the token never reached the log file or the stored task output.
    const logText = await readFile(join(app.dataDir, 'logs', 'daemon.log'), 'utf8')
    const outputText = core.output.page(taskId, 0, 10_000).map((l) => l.data).join('\n')
    for (const secret of [CODE, CODE.split('#')[0]!, TOKEN]) {
      expect(logText).not.toContain(secret)
      expect(outputText).not.toContain(secret)
    }
  }, 180_000)
})
