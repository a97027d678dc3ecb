import { beforeEach, describe, expect, it } from 'vitest'
import { ipcMain } from 'electron'
import { INVOKE_CHANNEL_PREFIX, requestNames } from '../../../src-preload/contract'
import { isTrustedFrame, registerIpc } from '../../../src-main/app/ipc'
import { createDispatcher } from '../../../src-main/core/bridge/dispatch'
import { silentLogger } from '../../../src-main/core/log/logger'

// `electron` is the test stub (vitest.config.mts alias): its ipcMain records handlers.
const stubIpc = ipcMain as unknown as { handlers: Map<string, (event: unknown, ...args: unknown[]) => unknown> }

const dispatch = createDispatcher(
  {
    getVersion: () => ({ app: '1', node: '20', electron: '45.4.1', schemaVersion: 1, mode: 'electron' }),
    listTasks: () => [],
  },
  silentLogger(),
)

let unregister: () => void
beforeEach(() => {
  unregister?.()
  unregister = registerIpc(ipcMain, dispatch, ['file://'])
})

const frame = (url: string) => ({ senderFrame: { url } })

describe('registerIpc', () => {
  it('registers one handler per contract request', () => {
    for (const name of requestNames) expect(stubIpc.handlers.has(INVOKE_CHANNEL_PREFIX + name)).toBe(true)
  })

  it('answers our own renderer', async () => {
    const h = stubIpc.handlers.get(INVOKE_CHANNEL_PREFIX + 'getVersion')!
    expect(await h(frame('file:///opt/makima/resources/app/out/renderer/index.html'))).toMatchObject({ ok: true })
  })

  it('refuses other origins, missing frames and an invalid payload with typed errors', async () => {
    const h = stubIpc.handlers.get(INVOKE_CHANNEL_PREFIX + 'listTasks')!
    expect(await h(frame('https://attacker.example/'))).toMatchObject({ ok: false, code: 'untrusted-sender' })
    expect(await h({ senderFrame: null })).toMatchObject({ ok: false, code: 'untrusted-sender' })
    expect(await h(frame('file:///x/index.html'), { limit: -3 })).toMatchObject({ ok: false, code: 'invalid-params' })
  })

  it('unregisters everything it registered', () => {
    unregister()
    expect([...stubIpc.handlers.keys()].filter((k) => k.startsWith(INVOKE_CHANNEL_PREFIX))).toEqual([])
    unregister = registerIpc(ipcMain, dispatch, ['file://'])
  })
})

describe('isTrustedFrame', () => {
  it('trusts only the configured origins', () => {
    const f = (url: string) => ({ url }) as Parameters<typeof isTrustedFrame>[0]
    expect(isTrustedFrame(f('http://localhost:5173/'), ['http://localhost:5173'])).toBe(true)
    expect(isTrustedFrame(f('http://localhost:5174/'), ['http://localhost:5173'])).toBe(false)
    expect(isTrustedFrame(f('file:///a.html'), ['http://localhost:5173'])).toBe(false)
    expect(isTrustedFrame(f('not a url'), ['file://'])).toBe(false)
  })
})
