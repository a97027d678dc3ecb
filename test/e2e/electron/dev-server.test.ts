// `npm start`, proven: the renderer served by electron-vite's dev server (React Fast Refresh, HMR)
// with exactly the response headers the app's installCsp hook sets, in Chromium with the preload
// and IPC of the Electron seam. The production CSP on the dev server blocked the React preamble and
// left a blank window; this renders the app with no CSP violation and no console error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { startSeamApp, type SeamApp } from '../../fixtures/electron-seam'
import { startRendererDevServer, type RendererDevServer } from '../../fixtures/electron-seam/dev-server'

let dev: RendererDevServer
let app: SeamApp

// A missing Chromium or Claude CLI fails the run with the install hint (test/fixtures/tools.ts); only
// an explicit MAKIMA_TEST_SKIP skips, and the run's summary says so.
describe.runIf(hasChromium && claudeAvailable())('npm start: the renderer from the dev server under the app CSP', () => {
  beforeAll(async () => {
    dev = await startRendererDevServer()
    app = await startSeamApp({ devServerUrl: dev.url })
  }, 240_000)

  afterAll(async () => {
    await app?.close()
    await dev?.close()
  })

  const csp = (problems: string[]) => problems.filter((p) => /Content Security Policy|CSP violation/.test(p))
  const devRefresh = () => typeof (globalThis as unknown as { $RefreshReg$?: unknown }).$RefreshReg$

  it('renders the app in React development mode with no CSP violation', async () => {
    // The first window lives through Vite's cold start (its dependency optimizer may reload it once).
    const rendered = async () => (await app.page.locator('[data-testid="new-task"]').count()) === 1
    await expect.poll(async () => (await rendered()) || csp(app.problems()).length > 0, { timeout: 90_000 }).toBe(true)
    expect(csp(app.problems())).toEqual([]) // before the fix: the React preamble, refused by script-src 'self'
    expect(await rendered()).toBe(true)

    // A new window on the warm dev server, as after a reload: no console error at all.
    const win = await app.openWindow(dev.url)
    await expect.poll(() => win.page.locator('[data-testid="new-task"]').count(), { timeout: 60_000 }).toBe(1)
    expect((await win.page.locator('#root').innerHTML()).length).toBeGreaterThan(0)
    expect(await win.page.evaluate(devRefresh)).toBe('function') // the dev server's Fast Refresh build
    expect(await win.page.evaluate(() => (globalThis as unknown as { makima?: unknown }).makima !== undefined)).toBe(true)
    expect(win.problems).toEqual([])
  }, 180_000)
})
