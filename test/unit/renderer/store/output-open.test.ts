// Opening a long task paints a screenful first: the first read asks for FIRST_PAINT_LINES, the
// window shows them before the rest arrives, and then fills up to MAX_LINES_IN_MEMORY. A short task
// is read once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MakimaApi, OutputLine } from '../../../../src-preload/contract'
import { FIRST_PAINT_LINES, MAX_LINES_IN_MEMORY, useAppStore } from '../../../../src-renderer/src/store/app-store'

const lines = (n: number): OutputLine[] => Array.from({ length: n }, (_, i) => ({ seq: i + 1, kind: 'stdout', data: `line ${i + 1}` }))
const stored: Record<string, OutputLine[]> = { long: lines(20_000), short: lines(100) }
const calls: { taskId: string; tail?: number }[] = []
let release: (() => void) | null = null

beforeAll(() => {
  const bridge = {
    getTaskOutput: async (p: { taskId: string; tail: number }) => {
      calls.push(p)
      // The second read of the long task waits until the test has looked at the first paint.
      if (p.taskId === 'long' && calls.filter((c) => c.taskId === 'long').length === 2) await new Promise<void>((r) => (release = r))
      const mine = stored[p.taskId]!
      return { ok: true, value: { lines: mine.slice(-p.tail), total: mine.length, truncated: false } }
    },
  } as unknown as MakimaApi
  ;(globalThis as { window?: unknown }).window = { makima: bridge }
})

afterAll(() => {
  delete (globalThis as { window?: unknown }).window
})

const seqs = (id: string) => useAppStore.getState().output[id]?.lines.map((l) => l.seq) ?? []

describe('opening a task', () => {
  it('shows the newest screenful from a small first read, then the whole window', async () => {
    useAppStore.getState().select('long')
    await expect.poll(() => release !== null).toBe(true)
    expect(calls[0]).toEqual({ taskId: 'long', tail: FIRST_PAINT_LINES })
    expect(FIRST_PAINT_LINES).toBeLessThanOrEqual(500)
    expect(seqs('long')).toEqual(Array.from({ length: FIRST_PAINT_LINES }, (_, i) => 20_000 - FIRST_PAINT_LINES + 1 + i))
    release!()
    await expect.poll(() => seqs('long').length).toBe(MAX_LINES_IN_MEMORY)
    expect(seqs('long')[0]).toBe(20_000 - MAX_LINES_IN_MEMORY + 1)
    expect(seqs('long').at(-1)).toBe(20_000)
    expect(useAppStore.getState().output.long!.total).toBe(20_000)
  })

  it('reads a short task once', async () => {
    calls.length = 0
    useAppStore.getState().select('short')
    await expect.poll(() => seqs('short').length).toBe(100)
    expect(calls).toEqual([{ taskId: 'short', tail: FIRST_PAINT_LINES }])
  })
})
