// The Electron entry, booted against the electron stub (the real binary cannot run here): the
// window is locked down, the CSP is on every response, every bridge request is wired with sender
// checks, the tray follows the work, and quitting stops the core before the app exits.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, session, Tray } from 'electron'
import { describe, expect, it } from 'vitest'
import { INVOKE_CHANNEL_PREFIX, requestNames } from '../../../src-preload/contract'

const stub = {
  app: app as unknown as { exitCode: number | null; quit(): void; listeners: Map<string, unknown[]> },
  windows: BrowserWindow as unknown as { all: { options: { webPreferences: Record<string, unknown> }; loaded: string | null; windowOpenHandler: ((d: { url: string }) => { action: string }) | null }[] },
  ipc: ipcMain as unknown as { handlers: Map<string, (e: unknown, p?: unknown) => Promise<unknown>> },
  session: session as unknown as { defaultSession: { webRequest: { headersHandler: ((d: object, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | null } } },
  trays: Tray as unknown as { all: { image: { path: string }; tooltip: string }[] },
}

async function until<T>(f: () => T | undefined | null | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = f()
    if (v) return v
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('the Electron entry', () => {
  it('boots a locked-down window with the bridge, CSP and tray, and stops the core on quit', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-electron-'))
    process.argv = ['electron', '.', '--data-dir', data]
    await import('../../../src-main/index')

    const win = await until(() => stub.windows.all[0])
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true })
    expect(String(win.options.webPreferences.preload)).toMatch(/preload[/\\]index\.js$/)
    expect(win.loaded).toMatch(/^file:\/\/.*renderer[/\\]index\.html$/)
    expect(win.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' })

    let headers: Record<string, string[]> = {}
    stub.session.defaultSession.webRequest.headersHandler!({ responseHeaders: {} }, (r) => (headers = r.responseHeaders))
    expect(headers['Content-Security-Policy']![0]).toContain("script-src 'self'")
    expect(headers['Content-Security-Policy']![0]).not.toContain('unsafe-eval')

    for (const name of requestNames) expect(stub.ipc.handlers.has(INVOKE_CHANNEL_PREFIX + name)).toBe(true)
    const fromUs = await stub.ipc.handlers.get(INVOKE_CHANNEL_PREFIX + 'getVersion')!({ senderFrame: { url: 'file:///opt/app/out/renderer/index.html' } })
    expect(fromUs).toMatchObject({ ok: true, value: { mode: 'electron' } })
    const fromElsewhere = await stub.ipc.handlers.get(INVOKE_CHANNEL_PREFIX + 'listTasks')!({ senderFrame: { url: 'https://evil.example/' } })
    expect(fromElsewhere).toMatchObject({ ok: false, code: 'untrusted-sender' })

    const tray = stub.trays.all[0]!
    expect(tray.image.path).toMatch(/tray-idle\.png$/)
    expect(tray.tooltip).toContain('idle')

    stub.app.quit()
    await until(() => stub.app.exitCode !== null)
    expect(stub.app.exitCode).toBe(0)
  }, 60_000)
})
