// The Electron process against the electron stub (the real binary cannot run here): Chromium
// switches pass through, start-up failures are loud and release the locks, launches during
// start-up are not lost, and --daemon runs the headless web UI with a file token store.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { app, BrowserWindow, dialog, safeStorage } from 'electron'
import { resetStub } from '../../fixtures/electron-stub'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runApp } from '../../../src-main/app/main'
import { SafeStorageTokenStore } from '../../../src-main/app/safe-token-store'
import { chooseTokenStore, keychainUsable } from '../../../src-main/app/token-store-choice'
import { FileTokenStore } from '../../../src-main/core/auth/token-store'
import { Redactor } from '../../../src-main/core/log/redact'
import { lockDataDir } from '../../../src-main/core/store/data-dir-lock'
import { bundleLayout } from '../../../src-main/layout'

const stub = {
  app: app as unknown as { exitCode: number | null; readyError: Error | null; singleInstance: boolean; instanceLockReleased: boolean; paths: Map<string, string>; emit(e: string, ...a: unknown[]): void; quit(): void; exit(code?: number): void },
  windows: BrowserWindow as unknown as { all: { shown: number }[] },
  dialog: dialog as unknown as { errors: { title: string; content: string }[] },
  reset: resetStub,
}
// Source layout: the CLI then runs from source through tsx; icons from resources/.
const layout = bundleLayout(resolve(__dirname, '../../../out/main'))
let stdout: string[]
let stderr: string[]

beforeEach(() => {
  stub.reset()
  stdout = []
  stderr = []
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (stdout.push(String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true))
})
afterEach(async () => {
  // Quit whatever started so its core (and the data-dir lock) is released.
  if (stub.app.exitCode === null) {
    stub.app.quit()
    await expect.poll(() => stub.app.exitCode, { timeout: 20_000 }).not.toBeNull()
  }
  vi.restoreAllMocks()
})

const dataDir = () => mkdtemp(join(tmpdir(), 'makima-app-'))
const start = (argv: string[]) => runApp({ argv, layout: { ...layout, cliScript: '' } })

describe('the Electron process', () => {
  it('starts with Chromium and Electron switches on the command line, which pass through untouched', async () => {
    const data = await dataDir()
    await start(['--no-sandbox', '--enable-logging', '--ozone-platform=wayland', '--data-dir', data, '--inspect=9229'])
    expect(stub.app.exitCode).toBeNull()
    expect(stub.windows.all).toHaveLength(1)
    expect(stub.app.paths.get('userData')).toBe(join(data, 'electron'))
    // What the app creates (and its agents, Chromium) is private to the user.
    expect(readFileSync('/proc/self/status', 'utf8')).toMatch(/^Umask:\s+0077$/m)
    // The log stream writes asynchronously: wait for the line rather than read once.
    await expect.poll(() => readFile(join(data, 'logs', 'daemon.log'), 'utf8')).toContain('"hostSwitches":["--no-sandbox","--enable-logging","--ozone-platform=wayland","--inspect=9229"]')
  })

  it('still validates its own flags: a bad value is an error dialog and exit 2', async () => {
    await start(['--no-sandbox', '--max-tasks', 'many'])
    expect(stub.app.exitCode).toBe(2)
    expect(stub.dialog.errors).toEqual([{ title: 'Makima could not start', content: expect.stringContaining('process.max_concurrent_tasks (from flag --max-tasks): got "many"') }])
  })

  it('a corrupt store: a dialog naming the file, a non-zero exit, and every lock released', async () => {
    const data = await dataDir()
    await writeFile(join(data, 'daemon.db'), 'this is not a database, just some text that fills a page '.repeat(100))
    await start(['--data-dir', data])
    expect(stub.app.exitCode).toBe(1)
    expect(stub.dialog.errors[0]?.content).toContain(join(data, 'daemon.db'))
    expect(stderr.join('')).toContain(join(data, 'daemon.db'))
    expect(stub.app.instanceLockReleased).toBe(true)
    expect(stub.windows.all).toHaveLength(0)
    const lock = await lockDataDir(data, 'test') // the core's lock is free again
    await lock.release()
  })

  it('a failed ready (no display) exits non-zero instead of lingering', async () => {
    stub.app.readyError = new Error('Failed to open display')
    await start(['--data-dir', await dataDir()])
    expect(stub.app.exitCode).toBe(1)
    expect(stderr.join('')).toContain('Failed to open display')
    expect(stub.app.instanceLockReleased).toBe(true)
  })

  it('a data directory held by another core: the dialog names its pid', async () => {
    const data = await dataDir()
    const held = await lockDataDir(data, 'daemon')
    try {
      await start(['--data-dir', data])
      expect(stub.app.exitCode).toBe(1)
      expect(stub.dialog.errors[0]?.content).toContain(`in use by Makima (pid ${process.pid}, daemon`)
      expect(existsSync(join(data, 'daemon.db'))).toBe(false)
    } finally {
      await held.release()
    }
  })

  it('a directory held by a headless core with a web UI: its UI opens in a window (signed in, no preload) instead', async () => {
    const data = await dataDir()
    const held = await lockDataDir(data, 'daemon')
    try {
      await held.update({ webUrl: 'http://127.0.0.1:7499' })
      await writeFile(join(data, 'web-token'), 'tok_en-0123456789abcdefghijklmnopqrstuv\n', { mode: 0o600 })
      await start(['--data-dir', data])
      expect(stub.app.exitCode).toBeNull()
      expect(stub.dialog.errors).toEqual([])
      const win = stub.windows.all[0] as unknown as { loaded: string; options: { webPreferences: Record<string, unknown> } }
      expect(win.loaded).toBe('http://127.0.0.1:7499/?token=tok_en-0123456789abcdefghijklmnopqrstuv')
      expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false })
      expect(win.options.webPreferences.preload).toBeUndefined()
      stub.app.emit('second-instance')
      expect(stub.windows.all[0]?.shown).toBe(1)
    } finally {
      await held.release()
      stub.app.exit(0)
    }
  })

  it('another instance holds the app: exits 0 without touching the data directory', async () => {
    stub.app.singleInstance = false
    const data = await dataDir()
    await start(['--data-dir', data])
    expect(stub.app.exitCode).toBe(0)
    expect(existsSync(join(data, 'daemon.db'))).toBe(false)
  })

  it('a second launch during start-up shows the window once it exists', async () => {
    const started = start(['--data-dir', await dataDir()])
    stub.app.emit('second-instance') // before the core is up
    await started
    expect(stub.windows.all[0]?.shown).toBe(1)
    stub.app.emit('activate') // macOS dock click
    expect(stub.windows.all[0]?.shown).toBe(2)
  })

  it('--daemon: no window, the headless web UI on, one ready line', async () => {
    const data = await dataDir()
    await runApp({ argv: ['--daemon', '--data-dir', data, '--web-port', '0'], layout: { ...layout, cliScript: '', rendererDir: await fakeRenderer() } })
    expect(stub.windows.all).toHaveLength(0)
    expect(stdout.join('')).toMatch(/makima daemon .* ready \(electron\): .* web http:\/\/127\.0\.0\.1:\d+/)
  })
})

describe('where the Claude token is kept in the Electron process', () => {
  const redactor = new Redactor()
  const storage = safeStorage as unknown as Parameters<typeof chooseTokenStore>[2]['storage'] & { backend: string; available: boolean }
  afterEach(() => Object.assign(storage, { backend: 'gnome_libsecret', available: true }))
  it('the OS keychain when there is one', () => {
    expect(chooseTokenStore('/d', redactor, { headless: false, storage })).toBeInstanceOf(SafeStorageTokenStore)
  })
  it('a 0600 file headless, without a keychain, or on Linux with only the basic_text fallback', () => {
    expect(chooseTokenStore('/d', redactor, { headless: true, storage })).toBeInstanceOf(FileTokenStore)
    storage.available = false
    expect(chooseTokenStore('/d', redactor, { headless: false, storage })).toBeInstanceOf(FileTokenStore)
    Object.assign(storage, { available: true, backend: 'basic_text' })
    expect(keychainUsable(storage, 'linux')).toBe(false)
    expect(keychainUsable(storage, 'darwin')).toBe(true)
  })
})

async function fakeRenderer(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'makima-renderer-'))
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Makima</title>')
  return dir
}
