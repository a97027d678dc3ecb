// Wires the bridge contract to Electron IPC: one handler per request, all through the core's
// dispatcher, which checks the sender and validates the payload. Events go to every window.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron'
import { EVENT_CHANNEL, INVOKE_CHANNEL_PREFIX, requestNames } from '../../src-preload/contract'
import type { Dispatch } from '../core/bridge/dispatch'
import type { CoreEvents } from '../core/events'

/** Only our own renderer may call main: the dev server in development, our bundled file otherwise. */
export function isTrustedFrame(frame: WebFrameMain | null | undefined, allowedOrigins: readonly string[]): boolean {
  if (!frame) return false
  let url: URL
  try {
    url = new URL(frame.url)
  } catch {
    return false
  }
  if (url.protocol === 'file:') return allowedOrigins.includes('file://')
  return allowedOrigins.includes(url.origin)
}

export function registerIpc(ipcMain: IpcMain, dispatch: Dispatch, allowedOrigins: readonly string[]): () => void {
  for (const name of requestNames) {
    ipcMain.handle(INVOKE_CHANNEL_PREFIX + name, (event: IpcMainInvokeEvent, params: unknown) =>
      dispatch(name, params, { trusted: isTrustedFrame(event.senderFrame, allowedOrigins), label: event.senderFrame?.url ?? '(no frame)' }),
    )
  }
  return () => {
    for (const name of requestNames) ipcMain.removeHandler(INVOKE_CHANNEL_PREFIX + name)
  }
}

export function forwardEvents(events: CoreEvents, windows: () => BrowserWindow[]): () => void {
  return events.onAny((name, payload) => {
    for (const win of windows()) {
      if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload)
    }
  })
}
