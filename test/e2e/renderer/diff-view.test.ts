// The Changes tab in real Chromium against a real core and a real git worktree: the summary counts,
// per-file sections that open and close (large files start closed), binary files labelled, Refresh.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { binaryBytes, git, makeRepo, TempDirs, write } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

const dirs = new TempDirs()
let app: App
let page: Page
let repo: string

const bigFile = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n'

beforeAll(async () => {
  repo = makeRepo(dirs, { files: { 'src/app.txt': 'one\ntwo\nthree\n', 'old.txt': 'gone 1\ngone 2\n', 'big.txt': bigFile(10) } })
  // Uncommitted work as an agent leaves it: an edit, a new file, a deletion, a binary, a big rewrite.
  write(repo, 'src/app.txt', 'one\nTWO\nthree\nfour\n') // +2 −1
  write(repo, 'greeting.txt', 'hello from the agent\n') // +1
  git(repo, 'rm', '-q', 'old.txt') // −2
  write(repo, 'logo.png', binaryBytes(256))
  write(repo, 'big.txt', bigFile(500)) // +490, over the collapse threshold
  app = await startApp({
    seed: (c) => c.tasks.save(taskRecord('diff-task', { name: 'Diff task', plan: 'p', repoUrl: repo, baseBranch: 'main', worktreePath: repo, state: 'completed' })),
  })
  ;({ page } = app)
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

const section = (path: string) => page.locator(`[data-testid="diff-file"][data-path="${path}"]`)

describe.runIf(hasChromium)('the Changes tab', () => {
  it('sums the files and lines changed, with one labelled section per file', async () => {
    await page.locator('[data-task-id="diff-task"]').click()
    await page.getByRole('tab', { name: 'Changes' }).click()
    const summary = page.locator('[data-testid="diff-summary"]')
    await expect.poll(() => summary.textContent(), { timeout: 15_000 }).toContain('5 files changed, +493 \u22123')
    expect(await page.locator('[data-testid="diff-file"]').count()).toBe(5)
    expect(await section('greeting.txt').getAttribute('data-status')).toBe('added')
    expect(await section('old.txt').getAttribute('data-status')).toBe('deleted')
    expect(await section('src/app.txt').getAttribute('data-status')).toBe('modified')
    expect(await section('src/app.txt').locator('.diff-counts').textContent()).toBe('+2 \u22121')
    // The diff text keeps its '+' and '-' prefixes.
    const text = (await page.locator('[data-testid="diff"]').textContent()) ?? ''
    expect(text).toContain('+hello from the agent')
    expect(text).toContain('-gone 1')
  })

  it('labels a binary file as binary', async () => {
    const bin = section('logo.png')
    expect(await bin.getAttribute('data-status')).toBe('binary')
    expect(await bin.locator('.diff-status').textContent()).toBe('binary')
    expect(await bin.textContent()).toContain('Binary file: contents not shown.')
    await page.screenshot({ path: join(tmpdir(), 'makima-diff-view.png'), fullPage: true })
  })

  it('starts a large file collapsed, and opens and closes a section on click', async () => {
    const big = section('big.txt')
    const head = big.locator('.diff-file-head')
    expect(await head.getAttribute('aria-expanded')).toBe('false')
    expect(await big.locator('.diff-body').count()).toBe(0)
    await head.click()
    await expect.poll(() => head.getAttribute('aria-expanded')).toBe('true')
    expect(await big.locator('.diff-body').textContent()).toContain('+line 500')

    const app = section('src/app.txt')
    const appHead = app.locator('.diff-file-head')
    expect(await appHead.getAttribute('aria-expanded')).toBe('true')
    expect(await app.locator('.diff-body .del').textContent()).toBe('-two\n')
    await appHead.click()
    await expect.poll(() => app.locator('.diff-body').count()).toBe(0)
    expect(await appHead.getAttribute('aria-expanded')).toBe('false')
  })

  it('shows new work after Refresh, keeping the sections the user toggled', async () => {
    write(repo, 'later.txt', 'written later\n')
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect.poll(() => page.locator('[data-testid="diff-summary"]').textContent(), { timeout: 15_000 }).toContain('6 files changed, +494 \u22123')
    expect(await section('later.txt').textContent()).toContain('+written later')
    expect(await section('src/app.txt').locator('.diff-file-head').getAttribute('aria-expanded')).toBe('false')
  })
})
