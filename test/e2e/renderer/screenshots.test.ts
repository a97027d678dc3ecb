// Writes docs/screenshots/*.png of the main views from the production renderer against a real core
// (the README shows them), so the pictures are as current as the last e2e run. Seeded store and
// repository: the same pictures every run, no model involved.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userTurnLine } from '../../../src-main/core/tasks/output-log'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { git, makeConflictRepo, TASK_A, TASK_B, TASK_C, TempDirs } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

// The README's pictures are rewritten only on request (MAKIMA_SCREENSHOTS=1 npx vitest run
// test/e2e/renderer/screenshots.test.ts); every other run takes them in a temp dir, so the views
// are still exercised and the working tree stays clean.
const OUT = process.env.MAKIMA_SCREENSHOTS === '1' ? resolve(__dirname, '../../../docs/screenshots') : mkdtempSync(join(tmpdir(), 'makima-shots-'))
const SUP = '5c5c5c5c-0000-4000-8000-00000000000a'
const dirs = new TempDirs()
const savedHome = process.env.HOME
let app: App
let page: Page
const line = (o: unknown) => JSON.stringify(o)
const at = (m: number) => new Date(Date.UTC(2026, 11, 6, 9, m)).toISOString()

const transcript = [
  { kind: 'user', data: line(userTurnLine('Add a /health endpoint that reports the build version, with a test.')) },
  { kind: 'system', data: line({ type: 'system', subtype: 'init', session_id: 's1', model: 'claude-sonnet-4-5', cwd: '/work/api' }) },
  { kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'text', text: 'I will add the route next to the others in `src/server.ts`, then a test.' }] } }) },
  { kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'tool_use', id: 't1', name: 'Edit', input: { file_path: 'src/server.ts' } }] } }) },
  { kind: 'user', data: line({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: 'The file src/server.ts has been updated.' }] } }) },
  { kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'tool_use', id: 't2', name: 'Bash', input: { command: 'npm test -- health' } }] } }) },
  { kind: 'user', data: line({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't2', content: '1 passed' }] } }) },
  { kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'text', text: 'Done: GET /health returns `{ "version": … }`, covered by `health.test.ts`.' }] } }) },
  { kind: 'result', data: line({ type: 'result', is_error: false, result: 'Done: GET /health returns `{ "version": … }`, covered by `health.test.ts`.', duration_ms: 41200, total_cost_usd: 0.0831, usage: { input_tokens: 5210, output_tokens: 1304 } }) },
  { kind: 'user', data: line(userTurnLine('Also log each request at debug level.')) },
  { kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'text', text: 'Added a debug log line per request in the middleware.' }] } }) },
  { kind: 'result', data: line({ type: 'result', is_error: false, result: 'Added a debug log line per request in the middleware.', duration_ms: 12800, total_cost_usd: 0.0214, usage: { input_tokens: 6120, output_tokens: 388 } }) },
]

beforeAll(async () => {
  process.env.HOME = dirs.make('makima-home-') // a quiet shell prompt for the terminal picture
  const { repo } = makeConflictRepo(dirs)
  const wt = join(dirs.make('makima-wt-'), 'health')
  git(repo, 'worktree', 'add', '-q', '-b', 'makima/health-endpoint', wt)
  mkdirSync(OUT, { recursive: true })
  app = await startApp({
    viewport: { width: 1280, height: 800 },
    seed: (core) => {
      const done = { state: 'completed' as const, repoUrl: repo, baseBranch: 'main' }
      core.tasks.save(taskRecord(TASK_A, { ...done, name: 'Add a /health endpoint', worktreePath: realpathSync(wt), createdAt: at(5) }))
      core.tasks.save(taskRecord(TASK_B, { ...done, name: 'Fix the login redirect', mergedInto: 'main', createdAt: at(3) }))
      core.tasks.save(taskRecord(TASK_C, { name: 'Upgrade the ORM', createdAt: at(4) }))
      const sup = taskRecord(SUP, { name: 'Release 2.4', isSupervisor: true, repoUrl: repo, baseBranch: 'main', worktreePath: repo, createdAt: at(1) })
      core.tasks.save(sup)
      core.output.append(TASK_A, transcript)
      core.control.ask({ taskId: SUP, task: sup }, { question: 'Ship 2.4 today or wait for the ORM upgrade?', choices: ['Ship today', 'Wait'] })
      core.settings.set('ui.recent_repos', [repo, '/home/me/code/web-frontend', 'https://github.com/acme/infra.git'])
    },
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  if (savedHome === undefined) delete process.env.HOME
  else process.env.HOME = savedHome
  dirs.cleanup()
})

async function shot(name: string): Promise<void> {
  const path = join(OUT, `${name}.png`)
  await page.screenshot({ path })
  expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG')
  expect(statSync(path).size).toBeGreaterThan(10_000)
}

describe.runIf(hasChromium)('screenshots for the README', () => {
  it('writes the main views', async () => {
    await page.locator(`[data-task-id="${TASK_A}"]`).click()
    await expect.poll(() => page.locator('[data-testid="usage-total"]').count(), { timeout: 15_000 }).toBe(1)
    await shot('conversation')

    await page.getByRole('tab', { name: 'Terminal' }).click()
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('shell running')
    await page.locator('[data-testid="terminal-view"]:visible .xterm').click()
    await page.keyboard.type('git log --oneline --all | head -5')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await page.locator('.xterm-rows').textContent()) ?? '', { timeout: 15_000 }).toContain('edit shared.txt')
    await shot('terminal')

    await page.locator(`[data-task-id="${SUP}"]`).click()
    await page.getByRole('tab', { name: 'Merge' }).click()
    await page.getByRole('button', { name: 'Merge', exact: true }).click()
    await expect.poll(() => page.locator('.cm-mergeView .cm-content').count(), { timeout: 15_000 }).toBe(2)
    await shot('conflict')
    await page.getByRole('button', { name: 'Abort merge' }).click()

    await page.keyboard.press('Control+k')
    await page.keyboard.type('ta')
    await shot('palette')
    await page.keyboard.press('Escape')

    await page.locator('[data-testid="new-task"]').click()
    await page.getByLabel('Name', { exact: true }).fill('Add rate limiting')
    await page.getByLabel('Plan', { exact: true }).fill('Limit each API key to 100 requests a minute; return 429 with Retry-After.')
    await page.getByLabel('Repository', { exact: true }).fill('/home/me/code/api-srvr')
    await page.getByRole('button', { name: 'Start agent' }).click()
    await expect.poll(() => page.locator('[data-testid="repo-error"]').count(), { timeout: 15_000 }).toBe(1)
    await shot('new-task')
    await page.keyboard.press('Escape')

    await page.locator('[data-testid="open-settings"]').click()
    await expect.poll(() => page.locator('[data-testid="preferences"]').count(), { timeout: 15_000 }).toBe(1)
    await page.locator('[data-key="ui.theme"] select').selectOption('light')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('[data-testid="preferences"]').getByRole('status').count(), { timeout: 15_000 }).toBe(1)
    await shot('settings')
    await page.keyboard.press('Escape')
    await page.locator(`[data-task-id="${TASK_A}"]`).click()
    await shot('light-theme')
    await page.locator('[data-testid="open-settings"]').click()
    await page.locator('[data-key="ui.theme"] select').selectOption('dark')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.locator('[data-testid="preferences"]').getByRole('status').count(), { timeout: 15_000 }).toBe(1)
    await page.keyboard.press('Escape')

    await page.setViewportSize({ width: 800, height: 600 })
    await page.locator(`[data-task-id="${TASK_A}"]`).click()
    await expect.poll(() => page.locator('[data-testid="questions-tab"]').count(), { timeout: 15_000 }).toBe(1)
    await shot('small-window')
  })
})
