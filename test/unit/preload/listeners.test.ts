// The preload keeps ONE ipcRenderer listener on the event channel however many subscriptions the
// renderer makes (one per subscription tripped MaxListenersExceededWarning with a few terminals).
import { contextBridge, ipcRenderer } from 'electron'
import { beforeAll, describe, expect, it } from 'vitest'
import { EVENT_CHANNEL, type MakimaApi } from '../../../src-preload/contract'

// `electron` is the test stub (fresh per test file): it records listeners and exposed values.
const stubBridge = contextBridge as unknown as { exposed: Map<string, unknown> }
const stubRenderer = ipcRenderer as unknown as { listeners: Map<string, Set<unknown>>; emit(channel: string, ...args: unknown[]): void }
const channelListeners = () => stubRenderer.listeners.get(EVENT_CHANNEL)?.size ?? 0
const emit = (name: string, payload: unknown) => stubRenderer.emit(EVENT_CHANNEL, name, payload)

let api: MakimaApi
beforeAll(async () => {
  await import('../../../src-preload/index')
  api = stubBridge.exposed.get('makima') as MakimaApi
})

describe('preload event subscriptions', () => {
  it('share one ipcRenderer listener and fan out by event name', () => {
    const seen: string[] = []
    const offs = Array.from({ length: 25 }, (_, i) => api.on('terminalData', (d) => seen.push(`${i}:${d.data}`)))
    offs.push(api.on('taskUpdated', (t) => seen.push(`task:${t.id}`)))
    expect(channelListeners()).toBe(1)

    emit('terminalData', { terminalId: 'x', data: 'a' })
    emit('taskUpdated', { id: 't1' })
    emit('notice', { level: 'info', message: 'nobody listens', taskId: null })
    expect(seen).toHaveLength(26)
    expect(seen.at(-1)).toBe('task:t1')

    for (const off of offs) off()
    seen.length = 0
    emit('terminalData', { terminalId: 'x', data: 'b' })
    expect(seen).toEqual([])
    expect(channelListeners()).toBe(1)
  })

  it('unsubscribe removes only that subscription, even for the same function subscribed twice', () => {
    const seen: string[] = []
    const same = (t: { id: string }) => seen.push(`same:${t.id}`)
    const offA = api.on('taskUpdated', same)
    const offB = api.on('taskUpdated', same)
    const offOther = api.on('taskUpdated', (t) => seen.push(`other:${t.id}`))

    offA()
    offA() // idempotent: must not remove B
    emit('taskUpdated', { id: 't2' })
    expect(seen).toEqual(['same:t2', 'other:t2'])

    offB()
    offOther()
    seen.length = 0
    emit('taskUpdated', { id: 't3' })
    expect(seen).toEqual([])
  })

  it('delivers to every subscriber when one unsubscribes during delivery', () => {
    const seen: string[] = []
    const offFirst: () => void = api.on('questionUpdated', () => {
      seen.push('first')
      offFirst()
    })
    const offSecond = api.on('questionUpdated', () => seen.push('second'))
    emit('questionUpdated', { id: 'q' })
    emit('questionUpdated', { id: 'q' })
    expect(seen).toEqual(['first', 'second', 'second'])
    offSecond()
  })
})
