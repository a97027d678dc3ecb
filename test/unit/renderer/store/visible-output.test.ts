// Only the visible task keeps an output window: with 20 tasks streaming, a frame touches the
// selected task alone, a frame with only hidden tasks' lines changes nothing (no subscriber wakes),
// and a task shown again is read from the core.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { MakimaApi, OutputLine } from '../../../../src-preload/contract'
import { MAX_LINES_IN_MEMORY, useAppStore } from '../../../../src-renderer/src/store/app-store'

const line = (seq: number): OutputLine => ({ seq, kind: 'stdout', data: `line ${seq}` })
const tails: string[] = []

beforeAll(() => {
  const bridge = {
    getTaskOutput: (params: { taskId: string; tail?: number }) => {
      tails.push(params.taskId)
      return Promise.resolve({ ok: true, value: { lines: [line(1), line(2)], total: 2, truncated: false } })
    },
  } as unknown as MakimaApi
  ;(globalThis as { window?: unknown }).window = { makima: bridge }
})
afterAll(() => {
  delete (globalThis as { window?: unknown }).window
})
beforeEach(() => {
  tails.length = 0
  useAppStore.setState({ selectedTaskId: null, output: {} })
})

const frame = (seqFrom: number, n: number, tasks: string[]) =>
  Object.fromEntries(tasks.map((t) => [t, Array.from({ length: n }, (_, i) => line(seqFrom + i))]))

describe('output windows for visible tasks only', () => {
  it('a frame updates the selected task only; hidden tasks keep no window', async () => {
    const tasks = Array.from({ length: 20 }, (_, i) => `t${i}`)
    useAppStore.getState().select('t3')
    for (let f = 0; f < 10; f++) useAppStore.getState().appendOutput(frame(3 + f * 10, 10, tasks))
    const out = useAppStore.getState().output
    expect(Object.keys(out)).toEqual(['t3'])
    expect(out.t3!.lines.at(-1)!.seq).toBe(102)
    expect(out.t3!.total).toBe(102)
  })

  it('a frame with only hidden tasks wakes no subscriber', () => {
    useAppStore.getState().select('t1')
    let wakes = 0
    const off = useAppStore.subscribe(() => wakes++)
    useAppStore.getState().appendOutput(frame(1, 50, ['t2', 't5', 't9']))
    off()
    expect(wakes).toBe(0)
  })

  it('the window stays bounded, and a task left and shown again is read from the core', async () => {
    useAppStore.getState().select('a')
    for (let f = 0; f < 12; f++) useAppStore.getState().appendOutput(frame(1 + f * 1000, 1000, ['a']))
    const a = useAppStore.getState().output.a!
    expect(a.lines).toHaveLength(MAX_LINES_IN_MEMORY)
    expect(a.lines[0]!.seq).toBe(12_000 - MAX_LINES_IN_MEMORY + 1)
    useAppStore.getState().select('b')
    expect(useAppStore.getState().output.a).toBeUndefined()
    useAppStore.getState().select('a')
    expect(tails.filter((t) => t === 'a')).toHaveLength(2)
  })
})
