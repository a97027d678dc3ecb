// Electron entry: single instance; `--daemon` runs the core with no window and no tray; otherwise
// window + tray. Quitting stops the core (agents get SIGTERM, then SIGKILL) and flushes the store.
import { app, BrowserWindow, ipcMain } from 'electron'
import { ConfigError } from './core/config/config'
import { loadConfig } from './core/config/load'
import { logUnhandledRejections } from './core/log/rejections'
import { startCore, type Core } from './core/start'
import { forwardEvents, registerIpc } from './app/ipc'
import { wireNotifications } from './app/notifications'
import { SafeStorageTokenStore } from './app/safe-token-store'
import { createTray } from './app/tray'
import { wireTrayState } from './app/tray-state'
import { createMainWindow, installCsp } from './app/window'
import { bundleLayout } from './layout'

// Electron adds its own argv entries; keep ours (everything after the app path or executable).
const userArgs = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('--inspect') && !a.startsWith('--remote-debugging'))

// This file is bundled to out/main/index.js, so __dirname is out/main (inside app.asar when packaged).
const layout = bundleLayout(__dirname, app.isPackaged ? { resourcesPath: process.resourcesPath } : undefined)

async function boot(): Promise<void> {
  let loaded
  try {
    loaded = await loadConfig({ argv: userArgs, env: process.env, cwd: process.cwd(), home: app.getPath('home') })
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      app.exit(2)
      return
    }
    throw err
  }
  if (loaded.kind !== 'config') {
    process.stdout.write(loaded.kind === 'help' ? `${loaded.text}\n` : `makima-desktop ${app.getVersion()}\n`)
    app.exit(0)
    return
  }
  const config = loaded.config
  logUnhandledRejections([config.server.apiKey])
  if (!app.requestSingleInstanceLock()) {
    app.exit(0)
    return
  }
  await app.whenReady()
  const core: Core = await startCore(config, {
    mode: config.daemon ? 'daemon' : 'electron',
    electronVersion: process.versions.electron ?? null,
    // The Claude token is kept encrypted by the OS keychain in the desktop app.
    tokenStore: (redactor) => new SafeStorageTokenStore(config.dataDir, redactor),
    cliScript: layout.cliScript,
    onExit: (code) => void core.stop().finally(() => app.exit(code)),
  })
  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting) return
    event.preventDefault()
    quitting = true
    void core.stop().finally(() => app.exit(0))
  })
  if (config.daemon) {
    process.stdout.write(`makima daemon ready (electron): data ${config.dataDir}\n`)
    return
  }

  const devServerUrl = process.env['ELECTRON_RENDERER_URL']
  installCsp()
  const origins = devServerUrl ? [new URL(devServerUrl).origin] : ['file://']
  registerIpc(ipcMain, core.dispatch, origins)
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
  app.on('second-instance', show)
  // Closing the window keeps the app (and its agents) running in the tray.
  app.on('window-all-closed', () => undefined)
}

void boot()
