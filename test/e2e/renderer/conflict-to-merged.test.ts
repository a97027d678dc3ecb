// From conflict to merged, as a user walks it: two tasks changed the same line; the first merges
// into main; the second is refused, "Update from base" brings main in and opens the conflict
// editor, the user keeps the task's line, commits, and "Merge into main" succeeds — the task shows
// merged. Real repository, real core, the production renderer in Chromium.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { commitFile, git, makeRepo, TASK_A, TASK_B, TempDirs } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

const dirs = new TempDirs()
let app: App
let page: Page
let repo: string

/** A worktree on its own branch whose commit changes line two of shared.txt. */
function taskWorktree(name: string, line: string): string {
  const wt = join(dirs.make('makima-wt-'), name)
  git(repo, 'worktree', 'add', '-q', '-b', `makima/${name}`, wt, 'main')
  commitFile(wt, 'shared.txt', `one\n${line}\nthree\n`)
  return wt
}

beforeAll(async () => {
  repo = makeRepo(dirs, { files: { 'shared.txt': 'one\ntwo\nthree\n' } })
  const a = taskWorktree('task-a', 'two from A')
  const b = taskWorktree('task-b', 'two from B')
  const done = { state: 'completed' as const, repoUrl: repo, baseBranch: 'main', completedAt: new Date().toISOString() }
  app = await startApp({
    viewport: { width: 1400, height: 900 },
    seed: (core) => {
      core.tasks.save(taskRecord(TASK_A, { ...done, name: 'Task A', worktreePath: a }))
      core.tasks.save(taskRecord(TASK_B, { ...done, name: 'Task B', worktreePath: b }))
    },
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

const deliver = () => page.locator('[data-testid="deliver"]')
const result = () => page.locator('[data-testid="deliver-result"]')

async function mergeIntoMain(): Promise<void> {
  await deliver().getByRole('button', { name: 'Merge into…' }).click()
  const target = deliver().getByLabel('Target branch')
  // A branch picker of local branches, the task's base first (not a free-text box).
  await expect.poll(() => target.locator('option').allTextContents(), { timeout: 15_000 }).toEqual(['main (base)', 'makima/task-a', 'makima/task-b'])
  await deliver().getByRole('button', { name: 'Merge', exact: true }).click()
}

describe.runIf(hasChromium)('from conflict to merged', () => {
  it('Update from base → conflict editor → resolved → Merge into main succeeds → merged badge', async () => {
    await page.locator(`[data-task-id="${TASK_A}"]`).click()
    await mergeIntoMain()
    await expect.poll(() => result().textContent(), { timeout: 15_000 }).toContain('into main')
    await expect.poll(() => page.locator(`[data-task-id="${TASK_A}"] [data-testid="merged-badge"]`).count()).toBe(1)

    await page.locator(`[data-task-id="${TASK_B}"]`).click()
    await mergeIntoMain()
    await expect.poll(() => result().textContent(), { timeout: 15_000 }).toContain('Merge main into the task first')

    await deliver().getByRole('button', { name: 'Update from base' }).click()
    // The Merge tab opens on the conflict, the editor on its file.
    await expect.poll(() => page.locator('[data-testid="merge-in-progress"]').textContent(), { timeout: 15_000 }).toContain('1 conflicted file')
    await expect.poll(() => page.locator('.cm-mergeView .cm-content').count(), { timeout: 15_000 }).toBe(2)
    expect(await result().count()).toBe(0) // the refusal is answered: no stale error
    await page.getByRole('button', { name: 'Keep ours' }).click()
    await expect.poll(() => page.locator('[data-testid="merge-in-progress"]').textContent(), { timeout: 15_000 }).toContain('0 conflicted files')
    await page.getByRole('button', { name: 'Commit merge' }).click()
    await expect.poll(() => page.locator('[data-testid="merge-in-progress"]').count(), { timeout: 15_000 }).toBe(0)

    await mergeIntoMain()
    await expect.poll(() => result().textContent(), { timeout: 15_000 }).toContain('into main')
    expect(await result().getAttribute('class')).not.toContain('error')
    await expect.poll(() => page.locator('.task-title [data-testid="merged-badge"]').count()).toBe(1)
    expect(git(repo, 'show', 'main:shared.txt')).toBe('one\ntwo from B\nthree')
  })
})
