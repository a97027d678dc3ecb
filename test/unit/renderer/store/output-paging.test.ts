// The renderer's output window when getTaskOutput answers are truncated by the core's byte
// budget (a stand-in core with the contract's semantics: a tail keeps the newest lines that fit,
// a page after a seq the oldest): loading and paging back never leave a gap in the window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MakimaApi, OutputLine } from '../../../../src-preload/contract'
import { useAppStore } from '../../../../src-renderer/src/store/app-store'

const MiB = 1024 * 1024
const BUDGET = 8 * MiB
const stored: OutputLine[] = Array.from({ length: 10 }, (_, i) => ({ seq: i + 1, kind: 'stdout', data: String(i + 1).padEnd(3 * MiB, '.') }))
const calls: unknown[] = []

function fit(lines: OutputLine[], from: 'oldest' | 'newest'): { lines: OutputLine[]; truncated: boolean } {
  const ordered = from === 'oldest' ? lines : [...lines].reverse()
  const kept: OutputLine[] = []
  let used = 0
  for (const l of ordered) {
    used += l.data.length + l.kind.length
    if (kept.length > 0 && used > BUDGET) break
    kept.push(l)
  }
  if (from === 'newest') kept.reverse()
  return { lines: kept, truncated: kept.length < lines.length }
}

beforeAll(() => {
  const bridge = {
    getTaskOutput: (params: { taskId: string; afterSeq?: number; limit?: number; tail?: number }) => {
      calls.push(params)
      const mine = params.taskId === 'big' ? stored : []
      const r = params.tail
        ? fit(mine.slice(-params.tail), 'newest')
        : fit(mine.filter((l) => l.seq > (params.afterSeq ?? 0)).slice(0, params.limit ?? 1000), 'oldest')
      return Promise.resolve({ ok: true, value: { ...r, total: mine.length } })
    },
  } as unknown as MakimaApi
  ;(globalThis as { window?: unknown }).window = { makima: bridge }
})

afterAll(() => {
  delete (globalThis as { window?: unknown }).window
})

const windowSeqs = () => useAppStore.getState().output.big!.lines.map((l) => l.seq)

describe('output window with truncated answers', () => {
  it('loads the newest lines that fit, then pages back without a gap', async () => {
    useAppStore.setState({ selectedTaskId: 'big' })
    await useAppStore.getState().loadOutput('big')
    expect(windowSeqs()).toEqual([9, 10])
    expect(useAppStore.getState().output.big!.total).toBe(10)

    calls.length = 0
    await useAppStore.getState().loadEarlier('big')
    expect(windowSeqs()).toEqual([7, 8, 9, 10])
    // First asked for all 8 older lines (got 2, truncated), then only the 2 just before the window.
    expect(calls).toEqual([
      { taskId: 'big', afterSeq: 0, limit: 8 },
      { taskId: 'big', afterSeq: 6, limit: 2 },
    ])

    for (let i = 0; i < 10 && windowSeqs()[0]! > 1; i++) await useAppStore.getState().loadEarlier('big')
    expect(windowSeqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(useAppStore.getState().output.big!.lines.map((l) => Number(l.data.replace(/\.+$/, '')))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })
})
