// The Run button of the Terminal tab in real Chromium against a real core: it opens a new tab that
// runs the repository's `.makima/run` in the task's worktree (not the repository's checkout), and
// its output appears; a repository without one gets a message saying how to add it.
import { chmodSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { git, makeRepo, TempDirs } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

const TASK = '7e1a0c00-1111-4222-8333-0000000000a1'
const BARE = '7e1a0c00-1111-4222-8333-0000000000a2'
const dirs = new TempDirs()
let app: App
let page: Page
let worktree: string
const savedHome = process.env.HOME

const rows = async (): Promise<string> => (await page.locator('.terminal-panel .xterm-rows > div').allTextContents()).map((r) => r.replace(/\u00a0/g, ' ').trimEnd()).join('\n')

beforeAll(async () => {
  process.env.HOME = dirs.make('makima-home-') // no ~/.bashrc of this machine in the shells
  // The run script prints where it runs and a value computed by the shell (not echoed input).
  const repo = makeRepo(dirs, { files: { '.makima/run': 'echo "run in $(pwd)"\necho "sum=$((40 + 2))"\nsleep 1000\n' } })
  worktree = join(dirs.make('makima-wt-'), 'run-task')
  git(repo, 'worktree', 'add', '-q', '-b', 'makima/run-task', worktree)
  worktree = realpathSync(worktree)
  const plain = makeRepo(dirs)
  const plainWt = join(dirs.make('makima-wt-'), 'plain')
  git(plain, 'worktree', 'add', '-q', '-b', 'makima/plain', plainWt)
  chmodSync(join(repo, '.makima/run'), 0o644) // not executable: run by /bin/sh
  app = await startApp({
    viewport: { width: 1400, height: 900 },
    seed: (core) => {
      core.tasks.save(taskRecord(TASK, { name: 'Run task', worktreePath: worktree }))
      core.tasks.save(taskRecord(BARE, { name: 'No run file', worktreePath: plainWt }))
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

describe.runIf(hasChromium)('the Run button', () => {
  it("runs .makima/run in a new terminal tab of the task's worktree and shows its output", async () => {
    await page.locator(`[data-task-id="${TASK}"]`).click()
    await page.getByRole('tab', { name: 'Terminal' }).click()
    await expect.poll(() => page.locator('.terminal-tab').count(), { timeout: 15_000 }).toBe(1) // the first shell
    await page.locator('.terminal-panel').getByRole('button', { name: 'Run', exact: true }).click()
    await expect.poll(() => page.locator('.terminal-tab[data-kind="run"]').count(), { timeout: 15_000 }).toBe(1)
    expect(await page.locator('.terminal-tab').count()).toBe(2)
    await expect.poll(rows, { timeout: 15_000 }).toContain('sum=42')
    expect(await rows()).toContain(`run in ${worktree}`)
    await expect.poll(() => page.locator('[data-testid="terminal-status"]').textContent()).toBe('running .makima/run')
    const listed = await app.core.dispatch('listTerminals', { taskId: TASK }, { trusted: true, label: 'test' })
    expect(listed.ok && (listed.value as { kind?: string }[]).map((t) => t.kind).sort()).toEqual(['run', 'shell'])
  })

  it('says how to add .makima/run when the repository has none', async () => {
    await page.locator(`[data-task-id="${BARE}"]`).click()
    await page.getByRole('tab', { name: 'Terminal' }).click()
    await expect.poll(() => page.locator('.terminal-tab').count(), { timeout: 15_000 }).toBe(1)
    await page.locator('.terminal-panel:visible').getByRole('button', { name: 'Run', exact: true }).click()
    await expect.poll(() => page.locator('.terminal-panel:visible [data-testid="terminal-status"]').textContent(), { timeout: 15_000 }).toContain('has no .makima/run')
    expect(await page.locator('.terminal-panel:visible .terminal-tab').count()).toBe(1)
  })
})
