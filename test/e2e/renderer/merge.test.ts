// Merge-conflict resolution as a person does it: real repo, real core, the UI in real Chromium.
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { git, makeConflictRepo, TempDirs } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

const SUP = '11111111-2222-4333-8444-555555555555'
const dirs = new TempDirs()
let app: App
let page: Page
let repo: string
let branch: string

beforeAll(async () => {
  ;({ repo, branch } = makeConflictRepo(dirs))
  app = await startApp({
    viewport: { width: 1400, height: 900 },
    seed: (core) => core.tasks.save(taskRecord(SUP, { name: 'Supervisor', repoUrl: repo, baseBranch: 'main', isSupervisor: true, worktreePath: repo })),
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

describe.runIf(hasChromium)('merge view', () => {
  it('merges a task branch, shows the conflict side by side, saves an edited result and commits', async () => {
    await page.locator(`[data-task-id="${SUP}"]`).click()
    await page.getByRole('tab', { name: 'Merge' }).click()
    await expect.poll(() => page.locator('table.branches').textContent(), { timeout: 15_000 }).toContain(branch)
    await page.getByRole('button', { name: 'Merge', exact: true }).click()

    const inProgress = page.locator('[data-testid="merge-in-progress"]')
    await expect.poll(() => inProgress.textContent(), { timeout: 15_000 }).toContain('1 conflicted file')
    await page.getByRole('button', { name: 'shared.txt' }).click()

    // CodeMirror's merge view: ours on the left (editable), theirs on the right.
    const editors = page.locator('.cm-mergeView .cm-content')
    await expect.poll(() => editors.count(), { timeout: 15_000 }).toBe(2)
    expect(await editors.nth(0).textContent()).toContain('two from main')
    expect(await editors.nth(1).textContent()).toContain('TWO from task')
    await page.screenshot({ path: join(tmpdir(), 'makima-merge-view.png') })

    // Edit the result: replace the whole document with a hand-merged version.
    await editors.nth(0).click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('one\ntwo, merged by hand\nthree\n')
    await page.locator('[data-testid="save-resolution"]').click()
    await expect.poll(() => inProgress.textContent(), { timeout: 15_000 }).toContain('0 conflicted files')

    await page.getByRole('button', { name: 'Commit merge' }).click()
    await expect.poll(() => page.locator('table.branches').textContent(), { timeout: 15_000 }).toContain('merged')

    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe('one\ntwo, merged by hand\nthree\n')
    expect(existsSync(join(repo, 'only-theirs.txt'))).toBe(true)
    expect(git(repo, 'log', '-1', '--format=%P').split(' ')).toHaveLength(2) // a real merge commit
    expect(git(repo, 'status', '--porcelain')).toBe('')
  })
})
