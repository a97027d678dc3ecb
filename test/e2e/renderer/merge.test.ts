// Merge-conflict resolution as a person does it: real repo, real core, the UI in real Chromium.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src-main/core/config/load'
import { startCore, type Core } from '../../../src-main/core/start'
import { startWebServer, type WebServer } from '../../../src-main/core/web/server'
import { buildRenderer, hasChromium, launchChromium } from '../../fixtures/browser/chromium'
import { git, makeConflictRepo, TempDirs } from '../../fixtures/git/repos'

const SUP = '11111111-2222-4333-8444-555555555555'
const dirs = new TempDirs()
let core: Core
let web: WebServer
let browser: Browser
let page: Page
let repo: string
let branch: string

beforeAll(async () => {
  ;({ repo, branch } = makeConflictRepo(dirs))
  const data = await mkdtemp(join(tmpdir(), 'makima-e2e-'))
  const loaded = await loadConfig({ argv: ['--data-dir', data], env: {}, cwd: data, home: data, etcDir: data })
  if (loaded.kind !== 'config') throw new Error('no config')
  core = await startCore(loaded.config, { mode: 'daemon', stderr: null })
  const now = new Date().toISOString()
  core.tasks.save({
    id: SUP, name: 'Supervisor', state: 'running', plan: '', repoUrl: repo, baseBranch: 'main', targetBranch: null, targetRepoPath: null,
    completionAction: null, parentTaskId: null, depth: 0, contractId: null, continueFromTaskId: null, copyFiles: null,
    isOrchestrator: false, isSupervisor: true, autonomousLoop: false, worktreePath: repo, agentSessionId: null,
    patchBaseSha: null, spawnJson: null, errorMessage: null, exitCode: null, createdAt: now, startedAt: now, completedAt: null, updatedAt: now,
  })
  web = await startWebServer({ rendererDir: await buildRenderer(), dispatch: core.dispatch, events: core.events, log: core.log })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  await page.goto(web.url)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.close()
  await core?.stop()
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
