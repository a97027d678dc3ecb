// Builds window.makima from the contract: one method per request, `on` for events. No logic.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { EVENT_CHANNEL, INVOKE_CHANNEL_PREFIX, requestNames, type EventName, type MakimaApi } from './contract'

const api: Record<string, unknown> = {}
for (const name of requestNames) {
  api[name] = (params?: unknown) => ipcRenderer.invoke(INVOKE_CHANNEL_PREFIX + name, params)
}
api.on = (event: EventName, listener: (payload: unknown) => void) => {
  const wrapped = (_e: IpcRendererEvent, name: EventName, payload: unknown) => {
    if (name === event) listener(payload)
  }
  ipcRenderer.on(EVENT_CHANNEL, wrapped)
  return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped)
}

contextBridge.exposeInMainWorld('makima', api as MakimaApi)
