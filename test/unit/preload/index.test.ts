import { describe, expect, it } from 'vitest'
import { contextBridge, ipcRenderer } from 'electron'
import { EVENT_CHANNEL, INVOKE_CHANNEL_PREFIX, requestNames, type MakimaApi } from '../../../src-preload/contract'

// `electron` is the test stub: contextBridge records what the preload exposes.
const stubBridge = contextBridge as unknown as { exposed: Map<string, unknown> }
const stubRenderer = ipcRenderer as unknown as { invoked: { channel: string; args: unknown[] }[]; emit(channel: string, ...args: unknown[]): void }

describe('preload', () => {
  it('exposes window.makima with one method per request and an event subscription', async () => {
    await import('../../../src-preload/index')
    const api = stubBridge.exposed.get('makima') as MakimaApi
    expect(api).toBeDefined()
    for (const name of requestNames) expect(typeof api[name]).toBe('function')

    await api.listTasks({ limit: 3 })
    expect(stubRenderer.invoked.at(-1)).toEqual({ channel: INVOKE_CHANNEL_PREFIX + 'listTasks', args: [{ limit: 3 }] })

    const seen: unknown[] = []
    const off = api.on('taskUpdated', (t) => seen.push(t.id))
    stubRenderer.emit(EVENT_CHANNEL, 'taskUpdated', { id: 't1' })
    stubRenderer.emit(EVENT_CHANNEL, 'taskOutput', { taskId: 't1', lines: [] })
    off()
    stubRenderer.emit(EVENT_CHANNEL, 'taskUpdated', { id: 't2' })
    expect(seen).toEqual(['t1'])
  })
})
