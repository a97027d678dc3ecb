// Repositories in the New task dialog, in Chromium against a real core and the REAL Claude CLI:
// a typo is said inline and no task is created; a plain folder is refused as soon as the field is
// left; a repository a task was started from is offered next time; the list groups by repository.
import { mkdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../src-main/core/start'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { makeRepo, TASK_A, TASK_B, TempDirs } from '../../fixtures/git/repos'
import { text } from '../../fixtures/model-server'
import { taskRecord } from '../../fixtures/store/task-record'

const dirs = new TempDirs()
let app: AgentApp | undefined
let core: Core
let page: Page
let repo: string
let other: string
const ready = hasChromium && claudeAvailable()

beforeAll(async () => {
  if (!ready) return
  repo = makeRepo(dirs)
  other = makeRepo(dirs)
  app = await startAgentApp({
    model: { turns: [text('Done.')] },
    claude: { apiKey: 'sk-test-e2e' },
    seed: (c) => {
      c.tasks.save(taskRecord(TASK_A, { name: 'Older in other', state: 'completed', repoUrl: other, createdAt: '2026-01-01T00:00:00.000Z' }))
      c.tasks.save(taskRecord(TASK_B, { name: 'Scratch work', state: 'completed', createdAt: '2026-01-02T00:00:00.000Z' }))
    },
  })
  ;({ core, page } = app)
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

const dialog = () => page.getByRole('dialog', { name: 'New task' })

describe.runIf(ready)('repositories', () => {
  it('a typo in the path is said inline, and no task is created', async () => {
    await expect.poll(() => page.locator('[data-testid="task-row"]').count(), { timeout: 15_000 }).toBe(2)
    await createTaskInUi(page, { name: 'Typo', plan: 'Anything.', repo: join(repo, '..', 'rpeo') })
    const err = dialog().locator('[data-testid="repo-error"]')
    await expect.poll(() => err.textContent(), { timeout: 15_000 }).toContain('does not exist')
    expect(await dialog().getByLabel('Repository', { exact: true }).getAttribute('aria-invalid')).toBe('true')
    expect(await dialog().getByRole('button', { name: 'Start agent' }).isDisabled()).toBe(true)
    expect(core.tasks.list({}).map((t) => t.name).sort()).toEqual(['Older in other', 'Scratch work'])

    // A plain folder is refused as soon as the field is left, before Start is pressed.
    const plain = join(dirs.make('makima-plain-'), 'not-a-repo')
    mkdirSync(plain)
    await dialog().getByLabel('Repository', { exact: true }).fill(plain)
    await dialog().getByLabel('Base branch').focus()
    await expect.poll(() => err.textContent(), { timeout: 15_000 }).toContain('is not a git repository')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog().count()).toBe(0)
    expect(core.tasks.list({})).toHaveLength(2)
  })

  it('a repository a task was started from is offered next time', async () => {
    await createTaskInUi(page, { name: 'Real one', plan: 'Say done.', repo })
    await expect.poll(() => dialog().count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => core.tasks.list({}).find((t) => t.name === 'Real one')?.state, { timeout: 60_000 }).toBe('completed')

    await page.locator('[data-testid="new-task"]').click()
    const recent = dialog().locator('[data-testid="recent-repo"]')
    await expect.poll(() => recent.count(), { timeout: 15_000 }).toBe(1)
    expect(await recent.getAttribute('title')).toBe(repo)
    await recent.click()
    expect(await dialog().getByLabel('Repository', { exact: true }).inputValue()).toBe(repo)
    // The web UI has no native folder dialog: no Browse button.
    expect(await dialog().locator('[data-testid="browse-repo"]').count()).toBe(0)
    await page.keyboard.press('Escape')
  }, 90_000)

  it('the task list groups tasks by repository, the newest group first', async () => {
    const heads = page.locator('[data-testid="repo-group"]')
    await expect.poll(() => heads.evaluateAll((els) => els.map((e) => e.getAttribute('data-repo'))), { timeout: 15_000 }).toEqual([repo, '', other])
    // Both folders are called "repo": their parent folder tells them apart.
    const label = (p: string) => `${basename(dirname(p))}/repo`
    expect(await heads.locator('.repo-name').allTextContents()).toEqual([label(repo), 'No repository', label(other)])
    // Each row sits under its repository's header.
    const order = await page.locator('[data-testid="repo-group"] .repo-name, [data-testid="task-row"] .task-name').allTextContents()
    expect(order).toEqual([label(repo), 'Real one', 'No repository', 'Scratch work', label(other), 'Older in other'])
  })
})
