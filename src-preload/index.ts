// Builds window.makima from the contract: one method per request, `on` for events. No logic beyond
// the event fan-out below.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { EVENT_CHANNEL, INVOKE_CHANNEL_PREFIX, requestNames, type EventName, type MakimaApi } from './contract'

const api: Record<string, unknown> = {}
for (const name of requestNames) {
  api[name] = (params?: unknown) => ipcRenderer.invoke(INVOKE_CHANNEL_PREFIX + name, params)
}

// One ipcRenderer listener for every subscription: a listener per `on()` tripped Node's
// MaxListenersExceededWarning once a few terminals were open. Each subscription is its own entry,
// so the same function subscribed twice is two subscriptions and unsubscribing removes only one.
type Subscriber = { listener: (payload: unknown) => void }
const subscribers = new Map<string, Set<Subscriber>>()

ipcRenderer.on(EVENT_CHANNEL, (_e: IpcRendererEvent, name: EventName, payload: unknown) => {
  const set = subscribers.get(name)
  if (!set) return
  // A copy: a subscriber may unsubscribe (itself or another) while we deliver.
  for (const sub of [...set]) {
    if (!set.has(sub)) continue
    try {
      sub.listener(payload)
    } catch (err) {
      // One failing subscriber must not starve the others; the error still surfaces as uncaught.
      queueMicrotask(() => {
        throw err
      })
    }
  }
})

api.on = (event: EventName, listener: (payload: unknown) => void) => {
  const sub: Subscriber = { listener }
  let set = subscribers.get(event)
  if (!set) subscribers.set(event, (set = new Set()))
  set.add(sub)
  return () => {
    set.delete(sub)
    if (set.size === 0 && subscribers.get(event) === set) subscribers.delete(event)
  }
}

contextBridge.exposeInMainWorld('makima', api as MakimaApi)
