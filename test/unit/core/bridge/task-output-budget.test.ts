// getTaskOutput answers within a byte budget: a tail keeps the newest lines, a page after a seq
// the oldest, each a gap-free run, with `truncated` telling the renderer to page for the rest.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { requests } from '../../../../src-preload/contract'
import { boundOutput, createHandlers, OUTPUT_RESPONSE_BUDGET_BYTES } from '../../../../src-main/core/bridge/handlers'
import { openStore } from '../../../../src-main/core/store/db'
import { OutputRepository } from '../../../../src-main/core/store/output-repository'
import { TaskRepository } from '../../../../src-main/core/store/task-repository'

const MiB = 1024 * 1024
const closers: (() => void)[] = []
afterEach(() => closers.splice(0).forEach((c) => c()))

async function setup(lines: { kind: string; data: string }[]) {
  const s = await openStore({ path: join(await mkdtemp(join(tmpdir(), 'makima-output-budget-')), 'daemon.db') })
  closers.push(() => s.close())
  const output = new OutputRepository(s.db)
  output.append('t1', lines)
  const h = createHandlers({ appVersion: '1', electronVersion: null, schemaVersion: s.schemaVersion, mode: 'daemon', tasks: new TaskRepository(s.db), output })
  const get = async (params: { taskId: string; afterSeq?: number; limit?: number; tail?: number }) => {
    const r = await h.getTaskOutput!(params)
    return requests.getTaskOutput.result.parse(r)
  }
  return { get }
}

const big = (ch: string) => ({ kind: 'assistant', data: ch.repeat(3 * MiB) })
const seqs = (r: { lines: { seq: number }[] }) => r.lines.map((l) => l.seq)

describe('getTaskOutput byte budget', () => {
  it('is 8 MiB', () => {
    expect(OUTPUT_RESPONSE_BUDGET_BYTES).toBe(8 * MiB)
  })

  it('tail: returns the newest lines that fit, in order, and says it was truncated', async () => {
    const { get } = await setup([big('a'), big('b'), big('c'), big('d')])
    const r = await get({ taskId: 't1', tail: 5000 })
    expect(seqs(r)).toEqual([3, 4])
    expect(r.lines.map((l) => l.data[0])).toEqual(['c', 'd'])
    expect(r).toMatchObject({ truncated: true, total: 4 })
  })

  it('afterSeq: returns the oldest lines after the seq that fit, in order, and says it was truncated', async () => {
    const { get } = await setup([big('a'), big('b'), big('c'), big('d')])
    const r = await get({ taskId: 't1', afterSeq: 0, limit: 4 })
    expect(seqs(r)).toEqual([1, 2])
    expect(r.truncated).toBe(true)
    const rest = await get({ taskId: 't1', afterSeq: 2, limit: 2 })
    expect(seqs(rest)).toEqual([3, 4])
    expect(rest.truncated).toBe(false)
  })

  it('small output is not truncated, and both modes are unchanged', async () => {
    const { get } = await setup(Array.from({ length: 50 }, (_, i) => ({ kind: 'stdout', data: `line ${i + 1}` })))
    expect(await get({ taskId: 't1', tail: 10 })).toMatchObject({ truncated: false, total: 50 })
    expect(seqs(await get({ taskId: 't1', tail: 10 }))).toEqual([41, 42, 43, 44, 45, 46, 47, 48, 49, 50])
    expect(seqs(await get({ taskId: 't1', afterSeq: 45 }))).toEqual([46, 47, 48, 49, 50])
    expect(await get({ taskId: 'other', tail: 10 })).toEqual({ lines: [], total: 0, truncated: false })
  })

  it('always returns at least one line, even one larger than the budget', async () => {
    const huge = { kind: 'stdout', data: 'x'.repeat(9 * MiB) }
    const { get } = await setup([huge, huge])
    const tail = await get({ taskId: 't1', tail: 2 })
    expect(seqs(tail)).toEqual([2])
    expect(tail.truncated).toBe(true)
    const page = await get({ taskId: 't1', afterSeq: 0, limit: 2 })
    expect(seqs(page)).toEqual([1])
    expect((await get({ taskId: 't1', afterSeq: 1, limit: 1 })).truncated).toBe(false)
  })

  it('counts bytes, not characters', () => {
    const line = (seq: number) => ({ seq, kind: 'k', data: 'é'.repeat(10) }) // 20 bytes + 1
    expect(boundOutput([line(1), line(2), line(3)], 'oldest', 42)).toEqual({ lines: [line(1), line(2)], truncated: true })
    expect(boundOutput([line(1), line(2), line(3)], 'newest', 42)).toEqual({ lines: [line(2), line(3)], truncated: true })
    expect(boundOutput([line(1), line(2), line(3)], 'newest', 63).truncated).toBe(false)
  })
})
