// The sign-in banner is withdrawn when the core says the task's credentials worked after all
// (authCleared), and only for that task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MakimaApi } from '../../../../src-preload/contract'
import { subscribeToEvents, useAppStore } from '../../../../src-renderer/src/store/app-store'

const listeners = new Map<string, (p: unknown) => void>()
let off: () => void

beforeAll(() => {
  const bridge = { on: (name: string, fn: (p: unknown) => void) => (listeners.set(name, fn), () => listeners.delete(name)) } as unknown as MakimaApi
  ;(globalThis as { window?: unknown }).window = { makima: bridge }
  off = subscribeToEvents()
})
afterAll(() => {
  off()
  delete (globalThis as { window?: unknown }).window
})

describe('authCleared', () => {
  it('withdraws the banner of that task only', () => {
    listeners.get('authRequired')!({ taskId: 't1', loginUrl: 'https://claude.ai/oauth/authorize?x', hostname: 'h' })
    listeners.get('authCleared')!({ taskId: 'other' })
    expect(useAppStore.getState().authRequired?.taskId).toBe('t1')
    listeners.get('authCleared')!({ taskId: 't1' })
    expect(useAppStore.getState().authRequired).toBeNull()
  })
})
