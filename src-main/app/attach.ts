// The desktop app started on a data directory a headless core already holds: rather than refuse,
// open that core's web UI in a window (signed in with the directory's token, which the same user
// can read). The window has no preload: it talks to the core over the web bridge like a browser.
import { BrowserWindow, shell } from 'electron'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DataDirLockedError } from '../core/store/data-dir-lock'
import { WEB_TOKEN_FILE } from '../core/web/auth'

/** The signed-in URL of the holder's web UI, or null when there is none to attach to. */
export async function attachableUi(err: unknown): Promise<string | null> {
  if (!(err instanceof DataDirLockedError) || !err.holder?.webUrl) return null
  const token = (await readFile(join(err.dataDir, WEB_TOKEN_FILE), 'utf8').catch(() => '')).trim()
  return token ? `${err.holder.webUrl}/?token=${encodeURIComponent(token)}` : null
}

export function openAttachedWindow(url: string): BrowserWindow {
  const origin = new URL(url).origin
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Makima (headless core)',
    backgroundColor: '#111318',
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  })
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    if (/^https?:\/\//.test(target)) void shell.openExternal(target)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, target) => {
    if (new URL(target).origin !== origin) event.preventDefault()
  })
  void win.loadURL(url)
  return win
}
