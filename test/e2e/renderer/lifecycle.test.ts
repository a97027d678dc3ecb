// Archive and delete from the app keep uncommitted work safe: the worktree goes, a WIP commit on
// the kept branch holds what the agent never committed. Filters All / Active / Needs you /
// Archived; Active counts only running or paused agents. Real repository, real core, Chromium.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { git, makeRepo, TASK_A, TASK_B, TASK_C, TempDirs, write } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

const QUEUED = '5c5c5c5c-0000-4000-8000-000000000002'
const PAUSED = '5c5c5c5c-0000-4000-8000-000000000003'
const ASKING = '5c5c5c5c-0000-4000-8000-000000000004'
const dirs = new TempDirs()
let app: App
let page: Page
let repo: string
const wt: Record<string, string> = {}

/** A worktree on makima/<name> with a file the agent wrote but never committed. */
function dirtyWorktree(name: string): string {
  const dir = join(dirs.make('makima-wt-'), name)
  git(repo, 'worktree', 'add', '-q', '-b', `makima/${name}`, dir)
  write(dir, `${name}-notes.txt`, `uncommitted ${name}\n`)
  return dir
}

beforeAll(async () => {
  repo = makeRepo(dirs)
  wt.a = dirtyWorktree('archive-me')
  wt.b = dirtyWorktree('delete-me')
  const done = { state: 'completed' as const, repoUrl: repo, baseBranch: 'main' }
  app = await startApp({
    seed: (core) => {
      core.tasks.save(taskRecord(TASK_A, { ...done, name: 'Archive me', worktreePath: wt.a }))
      core.tasks.save(taskRecord(TASK_B, { ...done, name: 'Delete me', worktreePath: wt.b }))
      core.tasks.save(taskRecord(TASK_C, { name: 'Working' }))
      core.tasks.save(taskRecord(PAUSED, { name: 'Resting', state: 'paused' }))
      core.tasks.save(taskRecord(QUEUED, { name: 'Waiting for a slot', state: 'pending' }))
      // A supervisor blocked on its question: running, but idle until the user answers.
      const sup = taskRecord(ASKING, { name: 'Supervisor asking', isSupervisor: true })
      core.tasks.save(sup)
      core.control.ask({ taskId: sup.id, task: sup }, { question: 'Merge both?', choices: ['Yes', 'No'] })
    },
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

const count = (id: string) => page.locator(`[data-testid="${id}"]`).textContent()
const rows = () => page.locator('[data-testid="task-row"] .task-name').allTextContents()

describe.runIf(hasChromium)('archive and delete', () => {
  it('counts only running or paused agents as Active; the one waiting for an answer needs you, with a marker', async () => {
    await expect.poll(() => count('task-count'), { timeout: 15_000 }).toBe('6')
    await expect.poll(() => count('attention-count'), { timeout: 15_000 }).toBe('1')
    expect(await count('active-count')).toBe('2')
    await page.getByRole('button', { name: /^Active/ }).click()
    expect((await rows()).sort()).toEqual(['Resting', 'Working'])
    await page.getByRole('button', { name: /^Needs you/ }).click()
    expect(await rows()).toEqual(['◆ Supervisor asking'])
    expect(await page.locator(`[data-task-id="${ASKING}"] [data-testid="asks-badge"]`).textContent()).toBe('asks you')
    await page.getByRole('button', { name: /^All/ }).click()
    expect(await page.locator('[data-testid="asks-badge"]').count()).toBe(1)
  })

  it('archives from the header: worktree gone, WIP commit on the kept branch, listed under Archived', async () => {
    await page.locator(`[data-task-id="${TASK_A}"]`).click()
    await page.locator('.task-actions').getByRole('button', { name: 'Archive' }).click()
    await expect.poll(() => count('archived-count'), { timeout: 15_000 }).toBe('1')
    expect(existsSync(wt.a!)).toBe(false)
    expect(git(repo, 'show', 'makima/archive-me:archive-me-notes.txt')).toBe('uncommitted archive-me')
    expect(git(repo, 'log', '-1', '--format=%s', 'makima/archive-me')).toMatch(/^\[WIP\] Saved before worktree removal/)
    expect(await rows()).not.toContain('Archive me')
    await page.getByRole('button', { name: /^Archived/ }).click()
    expect(await rows()).toEqual(['Archive me'])
    expect(app.core.tasks.get(TASK_A)).toMatchObject({ worktreePath: null, archivedAt: expect.any(String) })
    await page.getByRole('button', { name: /^All/ }).click()
  })

  it('deletes from the list after a confirmation, keeping the work on its branch', async () => {
    await page.locator(`[data-task-id="${TASK_B}"]`).click()
    await page.getByRole('button', { name: 'Delete “Delete me”' }).click()
    expect(existsSync(wt.b!)).toBe(true) // nothing happens before the confirmation
    await page.getByRole('button', { name: 'Confirm delete “Delete me”' }).click()
    await expect.poll(rows, { timeout: 15_000 }).not.toContain('Delete me')
    expect(app.core.tasks.get(TASK_B)).toBeUndefined()
    expect(existsSync(wt.b!)).toBe(false)
    expect(git(repo, 'show', 'makima/delete-me:delete-me-notes.txt')).toBe('uncommitted delete-me')
    expect(await page.locator('.welcome').count()).toBe(1) // the deleted task's view is gone
    const log = readFileSync(join(app.dataDir, 'logs', 'daemon.log'), 'utf8')
    expect(log).toMatch(/"task archived".*"name":"Archive me"|"name":"Archive me".*"task archived"/)
    expect(log).toMatch(/"task deleted".*"name":"Delete me"|"name":"Delete me".*"task deleted"/)
    // Survives a reload: it is gone from the store, not only from the page.
    await page.reload()
    await expect.poll(() => count('task-count'), { timeout: 15_000 }).toBe('4')
    expect(await rows()).not.toContain('Delete me')
  })
})
