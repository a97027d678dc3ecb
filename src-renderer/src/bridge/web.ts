// The contract over a WebSocket: frames {id, name, params} → {id, result}; events {event, payload}.
import {
  requestNames,
  type EventName,
  type EventPayload,
  type MakimaApi,
  type Result,
} from '../../../src-preload/contract'

type Pending = (result: Result<unknown>) => void

export function createWebBridge(url: string): MakimaApi {
  let socket: WebSocket | null = null
  let ready: Promise<WebSocket> | null = null
  let nextId = 1
  const pending = new Map<number, Pending>()
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready
    ready = new Promise((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.onopen = () => {
        socket = ws
        resolve(ws)
      }
      ws.onerror = () => reject(new Error(`cannot reach the Makima core at ${url}`))
      ws.onclose = () => {
        socket = null
        ready = null
        for (const [, settle] of pending) settle({ ok: false, code: 'internal', message: 'connection to the Makima core closed' })
        pending.clear()
      }
      ws.onmessage = (msg) => {
        let frame: { id?: number; result?: Result<unknown>; event?: EventName; payload?: unknown }
        try {
          frame = JSON.parse(String(msg.data)) as typeof frame
        } catch {
          return
        }
        if (typeof frame.id === 'number' && frame.result) {
          pending.get(frame.id)?.(frame.result)
          pending.delete(frame.id)
        } else if (frame.event) {
          for (const l of listeners.get(frame.event) ?? []) l(frame.payload)
        }
      }
    })
    return ready
  }

  const invoke = async (name: string, params: unknown): Promise<Result<unknown>> => {
    let ws: WebSocket
    try {
      ws = socket ?? (await connect())
    } catch (err) {
      return { ok: false, code: 'internal', message: (err as Error).message }
    }
    const id = nextId++
    return new Promise((resolve) => {
      pending.set(id, resolve)
      ws.send(JSON.stringify({ id, name, params }))
    })
  }

  const api: Record<string, unknown> = {}
  for (const name of requestNames) api[name] = (params?: unknown) => invoke(name, params)
  api.on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => {
    let set = listeners.get(event)
    if (!set) listeners.set(event, (set = new Set()))
    set.add(listener as (p: unknown) => void)
    void connect().catch(() => undefined)
    return () => set.delete(listener as (p: unknown) => void)
  }
  return api as MakimaApi
}
