// "Update from base" by rebase, in real Chromium against a real core and real worktrees: a rebase
// that conflicts opens the same conflict editor; aborting it leaves the branch exactly as it was;
// resolving and continuing replays the task on top of main, and "Merge into main" then succeeds.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { commitFile, git, makeRepo, TASK_B, TempDirs } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

const dirs = new TempDirs()
let app: App
let page: Page
let repo: string
let wt: string

beforeAll(async () => {
  repo = makeRepo(dirs, { files: { 'shared.txt': 'one\ntwo\nthree\n' } })
  wt = join(dirs.make('makima-wt-'), 'task-b')
  git(repo, 'worktree', 'add', '-q', '-b', 'makima/task-b', wt, 'main')
  commitFile(wt, 'shared.txt', 'one\ntwo from B\nthree\n', 'B changes line two')
  commitFile(wt, 'b-only.txt', 'b\n', 'B adds a file')
  commitFile(repo, 'shared.txt', 'one\ntwo from main\nthree\n', 'main changes line two')
  app = await startApp({
    viewport: { width: 1400, height: 900 },
    seed: (core) => core.tasks.save(taskRecord(TASK_B, { state: 'completed', repoUrl: repo, baseBranch: 'main', completedAt: new Date().toISOString(), name: 'Task B', worktreePath: wt })),
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

const deliver = () => page.locator('[data-testid="deliver"]')
const inProgress = () => page.locator('[data-testid="merge-in-progress"]')

async function rebaseFromBase(): Promise<void> {
  await deliver().getByLabel('Update by').selectOption('rebase')
  await deliver().getByRole('button', { name: 'Update from base' }).click()
  await expect.poll(() => inProgress().getAttribute('data-operation'), { timeout: 15_000 }).toBe('rebase')
  await expect.poll(() => inProgress().textContent(), { timeout: 15_000 }).toContain('Rebasing onto main — 1 conflicted file')
  await expect.poll(() => page.locator('.cm-mergeView .cm-content').count(), { timeout: 15_000 }).toBe(2)
}

describe.runIf(hasChromium)('Update from base by rebase', () => {
  it('opens the conflict editor; Abort rebase leaves the branch unchanged', async () => {
    const before = git(wt, 'rev-parse', 'HEAD')
    await page.locator(`[data-task-id="${TASK_B}"]`).click()
    await rebaseFromBase()
    await page.getByRole('button', { name: 'Abort rebase' }).click()
    await expect.poll(() => inProgress().count(), { timeout: 15_000 }).toBe(0)
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(before)
    expect(git(wt, 'status', '--porcelain')).toBe('')
    expect(git(wt, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('makima/task-b')
  })

  it('resolved and continued, the task sits on top of main and merges into it', async () => {
    await page.getByRole('tab', { name: 'Output' }).click()
    await rebaseFromBase()
    await page.getByRole('button', { name: 'Take theirs' }).click() // theirs, in a rebase: the task's commit
    await expect.poll(() => inProgress().textContent(), { timeout: 15_000 }).toContain('0 conflicted files')
    await page.getByRole('button', { name: 'Continue rebase' }).click()
    await expect.poll(() => inProgress().count(), { timeout: 15_000 }).toBe(0)
    expect(git(wt, 'rev-parse', 'HEAD~2')).toBe(git(repo, 'rev-parse', 'main'))
    expect(git(wt, 'log', '--format=%s', '-2')).toBe('B adds a file\nB changes line two')

    await deliver().getByRole('button', { name: 'Merge into…' }).click()
    await expect.poll(() => deliver().getByLabel('Target branch').inputValue(), { timeout: 15_000 }).toBe('main')
    await deliver().getByRole('button', { name: 'Merge', exact: true }).click()
    await expect.poll(() => page.locator('[data-testid="deliver-result"]').textContent(), { timeout: 15_000 }).toContain('into main')
    expect(git(repo, 'show', 'main:shared.txt')).toBe('one\ntwo from B\nthree')
    // After the merge the Changes tab still shows what the branch did (not "No changes yet").
    await page.getByRole('tab', { name: 'Changes' }).click()
    await expect.poll(() => page.locator('[data-testid="diff"]').textContent(), { timeout: 15_000 }).toContain('+two from B')
    expect(await page.locator('[data-testid="diff-scope"]').getAttribute('data-scope')).toBe('merged')
    expect(await page.locator('[data-testid="diff"]').textContent()).not.toContain('+two from main') // main's own commit is not the task's
  })
})
