// The renderer in real Chromium against a real core (SQLite file, dispatcher, web transport).
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src-main/core/config/load'
import { APP_VERSION, startCore, type Core } from '../../../src-main/core/start'
import { startWebServer, type WebServer } from '../../../src-main/core/web/server'
import { buildRenderer, hasChromium, launchChromium } from '../../fixtures/browser/chromium'

let core: Core
let web: WebServer
let browser: Browser

beforeAll(async () => {
  const data = await mkdtemp(join(tmpdir(), 'makima-e2e-'))
  const loaded = await loadConfig({ argv: ['--data-dir', data], env: {}, cwd: data, home: data, etcDir: data })
  if (loaded.kind !== 'config') throw new Error('no config')
  core = await startCore(loaded.config, { mode: 'daemon', stderr: null })
  const now = new Date().toISOString()
  for (const id of ['t-1', 't-2', 't-3']) {
    core.tasks.save({
      id, name: id, state: 'running', plan: '', repoUrl: null, baseBranch: null, targetBranch: null, targetRepoPath: null,
      completionAction: null, parentTaskId: null, depth: 0, contractId: null, continueFromTaskId: null, copyFiles: null,
      isOrchestrator: false, isSupervisor: false, autonomousLoop: false, worktreePath: null, agentSessionId: null,
      patchBaseSha: null, spawnJson: null, errorMessage: null, exitCode: null, createdAt: now, startedAt: now, completedAt: null, updatedAt: now,
    })
  }
  web = await startWebServer({ rendererDir: await buildRenderer(), dispatch: core.dispatch, events: core.events, log: core.log })
  browser = await launchChromium()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.close()
  await core?.stop()
})

describe.runIf(hasChromium)('hello page', () => {
  it('shows the version and the task count through the bridge, with no CSP violations', async () => {
    const page = await browser.newPage()
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))
    await page.goto(web.url)
    await expect.poll(() => page.locator('[data-testid="task-count"]').textContent(), { timeout: 15_000 }).toBe('3')
    expect(await page.locator('[data-testid="version"]').textContent()).toBe(APP_VERSION)
    expect(problems).toEqual([])
    await page.close()
  })

  it('refuses a bridge connection from a page of another origin', async () => {
    const page = await browser.newPage()
    await page.goto('about:blank')
    const outcome = await page.evaluate(async (url) => {
      return await new Promise<string>((resolve) => {
        const ws = new WebSocket(url)
        ws.onmessage = () => resolve('answered')
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, name: 'listTasks' }))
        ws.onclose = (e) => resolve(`closed ${e.code}`)
      })
    }, web.url.replace('http', 'ws') + '/bridge')
    expect(outcome).not.toBe('answered')
    await page.close()
  })

  it('renders live task updates pushed by the core', async () => {
    const page = await browser.newPage()
    await page.goto(web.url)
    await expect.poll(() => page.locator('[data-testid="task-count"]').textContent(), { timeout: 15_000 }).toBe('3')
    const now = new Date().toISOString()
    core.events.emit('taskUpdated', {
      id: 't-new', name: 'new', state: 'starting', parentTaskId: null, contractId: null, isOrchestrator: false, isSupervisor: false,
      repoUrl: null, worktreePath: null, errorMessage: null, createdAt: now, updatedAt: now,
    })
    await expect.poll(() => page.locator('[data-testid="task-count"]').textContent(), { timeout: 15_000 }).toBe('4')
    await page.close()
  })
})
