// The renderer in real Chromium against a real core (SQLite file, dispatcher, web transport).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_VERSION } from '../../../src-main/core/start'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { taskRecord } from '../../fixtures/store/task-record'

let app: App

beforeAll(async () => {
  app = await startApp({
    seed: (core) => {
      for (const id of ['t-1', 't-2', 't-3']) core.tasks.save(taskRecord(id))
    },
  })
}, 120_000)

afterAll(async () => {
  await app?.close()
})

describe.runIf(hasChromium)('hello page', () => {
  it('shows the version and the task count through the bridge, with no CSP violations', async () => {
    const page = await app.browser.newPage()
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(e.message))
    // The printed link signs the browser in and leaves no token in the address bar.
    await page.goto(app.web.openUrl)
    expect(page.url()).toBe(`${app.web.url}/`)
    await expect.poll(() => page.locator('[data-testid="task-count"]').textContent(), { timeout: 15_000 }).toBe('3')
    expect(await page.locator('[data-testid="version"]').textContent()).toBe(APP_VERSION)
    expect(problems).toEqual([])
    await page.close()
  })

  it('refuses a bridge connection from a page of another origin', async () => {
    const page = await app.browser.newPage()
    await page.goto('about:blank')
    const outcome = await page.evaluate(async (url) => {
      return await new Promise<string>((resolve) => {
        const ws = new WebSocket(url)
        ws.onmessage = () => resolve('answered')
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, name: 'listTasks' }))
        ws.onclose = (e) => resolve(`closed ${e.code}`)
      })
    }, app.web.url.replace('http', 'ws') + '/bridge')
    expect(outcome).not.toBe('answered')
    await page.close()
  })

  it('renders live task updates pushed by the core', async () => {
    const page = await app.browser.newPage()
    await page.goto(app.web.openUrl)
    await expect.poll(() => page.locator('[data-testid="task-count"]').textContent(), { timeout: 15_000 }).toBe('3')
    const now = new Date().toISOString()
    app.core.events.emit('taskUpdated', {
      id: 't-new', name: 'new', state: 'starting', parentTaskId: null, contractId: null, isOrchestrator: false, isSupervisor: false,
      repoUrl: null, worktreePath: null, errorMessage: null, createdAt: now, updatedAt: now, mergedInto: null, archivedAt: null, agent: 'claude',
    })
    await expect.poll(() => page.locator('[data-testid="task-count"]').textContent(), { timeout: 15_000 }).toBe('4')
    await page.close()
  })
})
