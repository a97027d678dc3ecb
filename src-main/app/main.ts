// The Electron process: single instance per data directory, the core, then the window and tray (or,
// with --daemon, the headless web UI). A start-up failure is never silent: a dialog (or one line
// headless) names the cause, the locks are released and the process exits non-zero.
import { app, BrowserWindow, dialog, ipcMain } from 'electron'
import { join } from 'node:path'
import type { Config } from '../core/config/config'
import { splitHostSwitches } from '../core/config/flags'
import { loadConfig } from '../core/config/load'
import { logUnhandledRejections } from '../core/log/rejections'
import { readyLine } from '../core/ready-line'
import { describeStartFailure } from '../core/start-failure'
import { startCore, type Core } from '../core/start'
import { usePrivateUmask } from '../core/store/private-files'
import type { AppLayout } from '../layout'
import { attachableUi, openAttachedWindow } from './attach'
import { folderDialogHandlers } from './folder-dialog'
import { forwardEvents, registerIpc } from './ipc'
import { wireNotifications } from './notifications'
import { chooseTokenStore } from './token-store-choice'
import { createTray } from './tray'
import { wireTrayState } from './tray-state'
import { createMainWindow, installCsp } from './window'

export interface RunOptions {
  /** process.argv without the executable (and, unpackaged, the app path). */
  argv: string[]
  layout: AppLayout
}

export function runApp(opts: RunOptions): Promise<void> {
  usePrivateUmask() // before anything is created: data, logs and Chromium's profile are the user's alone
  const { ours, host } = splitHostSwitches(opts.argv)
  // Registered before anything waits: a launch or a dock click during start-up is kept for later.
  let show: (() => void) | null = null
  let showWhenReady = false
  const reveal = () => (show ? show() : (showWhenReady = true))
  app.on('second-instance', reveal)
  app.on('activate', reveal) // macOS: the dock icon clicked with no window open
  let headless = ours.includes('--daemon')
  let dbPath: string | undefined
  return boot(ours, host, opts.layout, (config) => {
    headless = config.daemon
    dbPath = config.localDb.path
  }).then(
    (ready) => {
      if (!ready) return
      show = ready
      if (showWhenReady) ready()
    },
    async (err: unknown) => {
      // A headless core holds the directory: show its UI instead of refusing.
      const attach = headless ? null : await attachableUi(err)
      if (!attach) return fail(err, headless, dbPath)
      await app.whenReady()
      const win = openAttachedWindow(attach)
      show = () => (win.show(), win.focus())
      if (showWhenReady) show()
    },
  )
}

/** Resolves to the window's show function, or null when there is none (headless, or exiting). */
async function boot(argv: string[], host: string[], layout: AppLayout, onConfig: (c: Config) => void): Promise<(() => void) | null> {
  const loaded = await loadConfig({ argv, env: process.env, cwd: process.cwd(), home: app.getPath('home') })
  if (loaded.kind !== 'config') {
    process.stdout.write(loaded.kind === 'help' ? `${loaded.text}\n` : `makima-desktop ${app.getVersion()}\n`)
    app.exit(0)
    return null
  }
  const config = loaded.config
  onConfig(config)
  logUnhandledRejections([config.server.apiKey])
  // One instance per data directory (Electron's lock lives in userData): a second launch on the
  // same directory focuses the first; another directory gets its own instance.
  app.setPath('userData', join(config.dataDir, 'electron'))
  if (!app.requestSingleInstanceLock()) {
    app.exit(0)
    return null
  }
  await app.whenReady()
  const core = await startCore(config, {
    mode: config.daemon ? 'daemon' : 'electron',
    electronVersion: process.versions.electron ?? null,
    tokenStore: (redactor) => chooseTokenStore(config.dataDir, redactor, { headless: config.daemon }),
    secretStore: (redactor, name) => chooseTokenStore(config.dataDir, redactor, { headless: config.daemon, name }),
    cliScript: layout.cliScript,
    rendererDir: config.daemon ? layout.rendererDir : null,
    onExit: (code) => void core.stop().finally(() => app.exit(code)),
    handlers: config.daemon ? undefined : folderDialogHandlers(dialog, () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null),
  })
  core.log.info('electron started', { hostSwitches: host })
  try {
    stopOnQuit(core)
    if (config.daemon) {
      process.stdout.write(`${readyLine(core, app.getVersion(), 'electron')}\n`)
      return null
    }
    return openUi(core, layout)
  } catch (err) {
    await core.stop() // agents and locks are not left behind by a window that failed to open
    throw err
  }
}

function stopOnQuit(core: Core): void {
  let quitting = false
  const quit = (code: number) => {
    if (quitting) return
    quitting = true
    void core.stop().finally(() => app.exit(code))
  }
  app.on('before-quit', (event) => {
    if (quitting) return
    event.preventDefault()
    quit(0)
  })
  process.on('SIGTERM', () => quit(0))
  process.on('SIGINT', () => quit(0))
}

function openUi(core: Core, layout: AppLayout): () => void {
  const devServerUrl = process.env['ELECTRON_RENDERER_URL']
  installCsp(devServerUrl)
  registerIpc(ipcMain, core.dispatch, devServerUrl ? [new URL(devServerUrl).origin] : ['file://'])
  forwardEvents(core.events, () => BrowserWindow.getAllWindows())
  let win: BrowserWindow | null = createMainWindow(devServerUrl)
  const show = () => {
    if (!win || win.isDestroyed()) win = createMainWindow(devServerUrl)
    win.show()
    win.focus()
  }
  const tray = createTray(layout.resourcesDir, { show, quit: () => app.quit() })
  wireTrayState(
    core.events,
    { tasks: new Map(core.tasks.list({}).map((t) => [t.id, t.state])), pendingQuestions: new Set(), loginNeeded: false },
    (state, tooltip) => tray.setState(state, tooltip),
  )
  wireNotifications({ events: core.events, show, focused: () => BrowserWindow.getFocusedWindow() !== null })
  // Closing the window keeps the app (and its agents) running in the tray.
  app.on('window-all-closed', () => undefined)
  return show
}

async function fail(err: unknown, headless: boolean, dbPath?: string): Promise<void> {
  const failure = describeStartFailure(err, { dbPath })
  process.stderr.write(`${failure.message}\n`)
  // Before 'ready' a dialog on Linux only reaches stderr: wait for it, but never for long (a
  // failed or hung ready must still end in an exit, not a ghost holding the instance lock).
  if (!headless && (await readyWithin(10_000))) dialog.showErrorBox('Makima could not start', failure.message)
  // The data-directory lock was released by startCore; the single-instance lock is released before
  // the exit so that a launch right after this one is not swallowed by a dying process.
  app.releaseSingleInstanceLock()
  app.exit(failure.exitCode)
}

function readyWithin(ms: number): Promise<boolean> {
  if (app.isReady()) return Promise.resolve(true)
  return new Promise((resolveReady) => {
    const timer = setTimeout(() => resolveReady(false), ms)
    app.whenReady().then(
      () => (clearTimeout(timer), resolveReady(true)),
      () => (clearTimeout(timer), resolveReady(false)),
    )
  })
}
