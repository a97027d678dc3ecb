// The main window: locked down (context isolation, sandbox, no Node), navigation and new windows
// refused, a strict CSP on every response.
import { BrowserWindow, session, shell } from 'electron'
import { join } from 'node:path'
import { cspFor } from './csp'

/**
 * The production CSP (the web UI's) on every response, except electron-vite's dev server during
 * `npm start`, which gets the dev policy (see csp.ts). electron-vite passes the dev server as
 * ELECTRON_RENDERER_URL; without it every response is production.
 */
export function installCsp(devServerUrl: string | undefined = process.env['ELECTRON_RENDERER_URL']): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [cspFor(details.url, devServerUrl)] } })
  })
}

export function createMainWindow(devServerUrl: string | undefined): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Makima',
    backgroundColor: '#111318',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links open in the user's browser, never inside the app.
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!devServerUrl || !url.startsWith(devServerUrl)) event.preventDefault()
  })
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadFile(join(__dirname, '../renderer/index.html'))
  return win
}
