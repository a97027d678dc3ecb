// The desktop app through its Electron seam (test/fixtures/electron-seam): the BUILT renderer over
// file:// under the production CSP, the BUILT preload in an isolated world, the real registerIpc /
// forwardEvents and a real core whose agent is the REAL Claude CLI (scripted model). A user starts a
// task from the New task dialog and watches its live output.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import type { MakimaApi } from '../../../src-preload/contract'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { startSeamApp, type SeamApp } from '../../fixtures/electron-seam'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { reply, text } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: SeamApp
let foreign: Server

// A missing Chromium or Claude CLI fails the run with the install hint (test/fixtures/tools.ts); only
// an explicit MAKIMA_TEST_SKIP skips, and the run's summary says so.
describe.runIf(hasChromium && claudeAvailable())('the desktop app through the Electron seam', () => {
  beforeAll(async () => {
    app = await startSeamApp({
      model: {
        turns: [
          reply({ blocks: [{ type: 'text', text: 'Reading the task.' }, { type: 'tool_use', name: 'Write', input: { file_path: 'greeting.txt', content: 'hello through the seam\n' } }], stopReason: 'tool_use' }),
          text('All done: greeting.txt written.'),
        ],
      },
    })
    // A page of another origin, for the sender check.
    foreign = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title>'))
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve))
  }, 240_000)

  afterAll(async () => {
    await app?.close()
    await new Promise((resolve) => foreign?.close(resolve))
    dirs.cleanup()
  })

  it('creates a task from the New task dialog and streams the real CLI output live', async () => {
    const { page, core } = app
    const repo = makeRepo(dirs)
    await createTaskInUi(page, { name: 'Greet through the seam', plan: 'Create greeting.txt.', repo })

    const out = page.locator('[data-testid="output"]')
    await expect.poll(() => out.textContent(), { timeout: 90_000 }).toContain('All done: greeting.txt written.')
    expect(await out.textContent()).toContain('Reading the task.')
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe('completed')
    const [task] = core.tasks.list({})
    expect(readFileSync(join(task!.worktreePath!, 'greeting.txt'), 'utf8')).toBe('hello through the seam\n')
    expect(app.problems()).toEqual([])
  }, 180_000)

  it('gives the page only copies of what the preload exposed: no ipcRenderer, no require, a frozen read-only API', async () => {
    const seen = await app.page.evaluate(async () => {
      const g = globalThis as unknown as Record<string, unknown> & { makima: MakimaApi }
      const api = g.makima
      const first = await api.listTasks({})
      if (first.ok && first.value[0]) (first.value[0] as { name: string }).name = 'changed by the page'
      const again = await api.listTasks({})
      let replaced = true
      try {
        g.makima = {} as MakimaApi
      } catch {
        replaced = false
      }
      return {
        internals: ['require', 'process', 'ipcRenderer', '__electronSeamIpc', '__electronSeam', 'seamEndpoint'].filter((k) => k in g),
        frozen: Object.isFrozen(api),
        replaced: replaced && g.makima !== api,
        name: again.ok ? again.value[0]?.name : null,
      }
    })
    expect(seen).toEqual({ internals: [], frozen: true, replaced: false, name: 'Greet through the seam' })
  })

  it('answers a window of another origin with untrusted-sender (the real frame URL decides), under the header CSP', async () => {
    const url = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`
    const other = await app.openWindow(url)
    try {
      const result = await other.page.evaluate(() => (globalThis as unknown as { makima: MakimaApi }).makima.listTasks({}))
      expect(result).toMatchObject({ ok: false, code: 'untrusted-sender' })
      // The app's own window, same preload and IPC, is trusted.
      expect(await app.page.evaluate(() => (globalThis as unknown as { makima: MakimaApi }).makima.getVersion())).toMatchObject({ ok: true })
      // That page has no meta tag: only the header the app installs can block its inline script.
      const ran = await other.page.evaluate(() => {
        const g = globalThis as unknown as { document: { createElement(t: string): { textContent: string }; head: { append(n: unknown): void } } }
        const script = g.document.createElement('script')
        script.textContent = 'globalThis.inlineRan = true'
        g.document.head.append(script)
        return 'inlineRan' in globalThis
      })
      expect(ran).toBe(false)
      await expect.poll(() => other.problems.join('\n'), { timeout: 10_000 }).toContain('CSP violation: script-src-elem')
    } finally {
      await other.close()
    }
  })
})
