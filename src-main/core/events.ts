// The core's one stream of typed events; subscribers (bridge, outbox, tray) each own their
// unsubscribe function.
import type { EventName, EventPayload } from '../../src-preload/contract'

type Listener<E extends EventName> = (payload: EventPayload<E>) => void
type AnyListener = (name: EventName, payload: unknown) => void

/** Completes an event's payload once, before any subscriber sees it (e.g. output lines → transcript). */
export type EventPreparers = { [E in EventName]?: (payload: EventPayload<E>) => EventPayload<E> }

export class CoreEvents {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>()
  private readonly any = new Set<AnyListener>()

  constructor(private readonly prepare: EventPreparers = {}) {}

  on<E extends EventName>(name: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(name)
    if (!set) this.listeners.set(name, (set = new Set()))
    set.add(listener as Listener<EventName>)
    return () => set.delete(listener as Listener<EventName>)
  }

  /** Every event, for transports that forward all of them. */
  onAny(listener: AnyListener): () => void {
    this.any.add(listener)
    return () => this.any.delete(listener)
  }

  emit<E extends EventName>(name: E, raw: EventPayload<E>): void {
    // Nobody listening (a daemon with no UI open): skip the preparing too.
    if (!this.listeners.get(name)?.size && this.any.size === 0) return
    const prepare = this.prepare[name] as ((p: EventPayload<E>) => EventPayload<E>) | undefined
    const payload = prepare ? prepare(raw) : raw
    for (const l of this.listeners.get(name) ?? []) l(payload)
    for (const l of this.any) l(name, payload)
  }
}
