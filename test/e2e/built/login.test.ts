// Signing in, in the built daemon's web UI: a task created in the UI fails because Claude is not
// logged in (the REAL CLI says so), the banner takes the pasted code (the bundled login flow runs
// `claude setup-token` in a PTY through the bundled node-pty; only the code exchange is a fake),
// and "Restart stopped tasks" completes the task against a model that accepts only that token.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTaskInUi } from '../../fixtures/browser/app'
import { builtUiTools, startBuiltAgentUi, type BuiltUi } from '../../fixtures/built-daemon'
import { CLAUDE_BIN } from '../../fixtures/claude-env'
import { claudeWithFakeSetupToken, makeCode, makeToken } from '../../fixtures/fake-setup-token'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse } from '../../fixtures/model-server'

const dirs = new TempDirs()
const TOKEN = makeToken()
const CODE = makeCode()
let ui: BuiltUi
let restoreEnv: () => void = () => undefined

describe.runIf(builtUiTools())('signing in from the built daemon’s UI', () => {
  beforeAll(async () => {
    const claude = await claudeWithFakeSetupToken(dirs.make('makima-claude-wrapper-'), { realClaude: CLAUDE_BIN, code: CODE, token: TOKEN })
    restoreEnv = claude.restore
    ui = await startBuiltAgentUi({
      model: { requireAuth: TOKEN, turns: [toolUse('Write', { file_path: 'after-login.txt', content: 'signed in\n' }), text('Done after login.')] },
      claude: {}, // no key, no token: "Not logged in"
      claudeCommand: claude.command,
      // The fake setup-token reads what it accepts and answers from the daemon's environment.
      env: { FAKE_ST_GOOD_CODE: CODE.split('#')[0]!, FAKE_ST_TOKEN: TOKEN },
    })
  }, 180_000)

  afterAll(async () => {
    await ui?.close()
    restoreEnv()
    dirs.cleanup()
  })

  it('detects the missing login, takes the pasted code, and restarts the stopped task', async () => {
    const { page } = ui
    await createTaskInUi(page, { name: 'Needs login', plan: 'Write after-login.txt', repo: makeRepo(dirs) })
    const state = () => page.locator('[data-testid="task-row"]', { hasText: 'Needs login' }).locator('[data-state]').getAttribute('data-state')

    const banner = page.locator('[data-testid="login-banner"]')
    await expect.poll(() => banner.textContent(), { timeout: 90_000 }).toContain('Paste the code')
    await expect.poll(state, { timeout: 30_000 }).toBe('failed')
    await banner.getByLabel('Authorization code').fill(CODE)
    await banner.getByRole('button', { name: 'Submit' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Signed in to Claude' }).count(), { timeout: 60_000 }).toBe(1)

    await page.getByRole('button', { name: 'Restart stopped tasks' }).click()
    await expect.poll(state, { timeout: 90_000 }).toBe('completed')
    const worktrees = join(ui.dataDir, 'worktrees')
    const written = await Promise.all((await readdir(worktrees)).map((d) => readFile(join(worktrees, d, 'after-login.txt'), 'utf8').catch(() => null)))
    expect(written.filter((w) => w !== null)).toEqual(['signed in\n'])

    // The code and the token never reached the log file or the daemon's stderr.
    const logText = await readFile(join(ui.dataDir, 'logs', 'daemon.log'), 'utf8')
    for (const secret of [CODE, CODE.split('#')[0]!, TOKEN]) {
      expect(logText).not.toContain(secret)
      expect(ui.daemon.stderr()).not.toContain(secret)
    }
  }, 300_000)
})
