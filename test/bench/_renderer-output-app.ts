// The app of test/fixtures/browser/app.ts (real core, web transport, real Chromium) for a benchmark
// run by tsx: the fixture's in-process Vite build fails when tsx loads Vite as CommonJS (the
// modulepreload polyfill does not resolve), so the renderer is built with the same options in a
// plain Node ES module child process instead.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { startCore, type Core } from '../../src-main/core/start'
import { WebAuth } from '../../src-main/core/web/auth'
import { startWebServer } from '../../src-main/core/web/server'
import { appConfig } from '../fixtures/browser/app'
import { launchChromium } from '../fixtures/browser/chromium'

const ROOT = resolve(__dirname, '../..')

const BUILD = `
import react from '@vitejs/plugin-react'
import { build } from 'vite'
await build({ root: process.argv[1], mode: 'production', plugins: [react()], logLevel: 'error', build: { outDir: process.argv[2], emptyOutDir: true }, configFile: false })
`

export interface BenchApp {
  core: Core
  browser: Browser
  page: Page
  close(): Promise<void>
}

export async function startBenchApp(opts: { viewport: { width: number; height: number }; seed(core: Core): void; initScript?: string }): Promise<BenchApp> {
  const undo: (() => Promise<unknown>)[] = []
  const close = async () => {
    while (undo.length > 0) await undo.pop()!().catch(() => undefined)
  }
  try {
    const outDir = await mkdtemp(join(tmpdir(), 'makima-bench-renderer-'))
    undo.push(() => rm(outDir, { recursive: true, force: true }))
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', BUILD, join(ROOT, 'src-renderer'), outDir], {
      cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 16 * 1024 * 1024,
    })
    const dataDir = await mkdtemp(join(tmpdir(), 'makima-bench-'))
    undo.push(() => rm(dataDir, { recursive: true, force: true }))
    const core = await startCore(await appConfig(dataDir), { mode: 'daemon', stderr: null })
    undo.push(() => core.stop())
    opts.seed(core)
    const web = await startWebServer({ rendererDir: outDir, auth: await WebAuth.load(dataDir), dispatch: core.dispatch, events: core.events, log: core.log })
    undo.push(() => web.close())
    const browser = await launchChromium()
    undo.push(() => browser.close())
    const page = await browser.newPage({ viewport: opts.viewport })
    if (opts.initScript) await page.addInitScript(opts.initScript)
    await page.goto(web.openUrl)
    return { core, browser, page, close }
  } catch (err) {
    await close()
    throw err
  }
}
