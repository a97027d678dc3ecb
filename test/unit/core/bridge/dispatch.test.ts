import { describe, expect, it } from 'vitest'
import { BridgeError, createDispatcher, type PartialHandlers } from '../../../../src-main/core/bridge/dispatch'
import { silentLogger } from '../../../../src-main/core/log/logger'

const trusted = { trusted: true, label: 'file:///app/index.html' }

function handlers(over: PartialHandlers = {}): PartialHandlers {
  return {
    getVersion: () => ({ app: '1.0.0', node: '20', electron: null, schemaVersion: 1, mode: 'daemon' }),
    listTasks: (p) => (p?.limit === 1 ? [] : []),
    ...over,
  }
}

describe('createDispatcher', () => {
  it('answers a valid request with ok: true', async () => {
    const d = createDispatcher(handlers(), silentLogger())
    expect(await d('getVersion', undefined, trusted)).toEqual({ ok: true, value: { app: '1.0.0', node: '20', electron: null, schemaVersion: 1, mode: 'daemon' } })
  })

  it('refuses an untrusted sender before looking at the payload, and never runs the handler', async () => {
    let ran = false
    const d = createDispatcher(handlers({ listTasks: () => ((ran = true), []) }), silentLogger())
    const r = await d('listTasks', undefined, { trusted: false, label: 'https://evil.example' })
    expect(r).toMatchObject({ ok: false, code: 'untrusted-sender' })
    expect(ran).toBe(false)
  })

  it('refuses invalid params with a typed error naming the field', async () => {
    let ran = false
    const d = createDispatcher(handlers({ listTasks: () => ((ran = true), []) }), silentLogger())
    const r = await d('listTasks', { limit: 'ten' }, trusted)
    expect(r).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(!r.ok && r.message).toContain('limit')
    expect(await d('listTasks', { limit: 5, extra: true }, trusted)).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(await d('listTasks', { states: ['exploded'] }, trusted)).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(await d('getVersion', { sneaky: 1 }, trusted)).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(ran).toBe(false)
  })

  it('refuses unknown requests, including prototype names', async () => {
    const d = createDispatcher(handlers(), silentLogger())
    expect(await d('deleteEverything', undefined, trusted)).toMatchObject({ ok: false, code: 'unknown-request' })
    expect(await d('__proto__', undefined, trusted)).toMatchObject({ ok: false, code: 'unknown-request' })
    expect(await d('toString', undefined, trusted)).toMatchObject({ ok: false, code: 'unknown-request' })
  })

  it('answers unavailable for a request no running service handles', async () => {
    const d = createDispatcher(handlers(), silentLogger())
    expect(await d('startLogin', undefined, trusted)).toMatchObject({ ok: false, code: 'unavailable' })
  })

  it('turns handler failures into data', async () => {
    const d = createDispatcher(
      handlers({
        listTasks: () => {
          throw new BridgeError('not-found', 'no such contract')
        },
        getVersion: () => {
          throw new Error('disk on fire')
        },
      }),
      silentLogger(),
    )
    expect(await d('listTasks', undefined, trusted)).toEqual({ ok: false, code: 'not-found', message: 'no such contract' })
    expect(await d('getVersion', undefined, trusted)).toMatchObject({ ok: false, code: 'internal', message: expect.stringContaining('disk on fire') })
  })
})
