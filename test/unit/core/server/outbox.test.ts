import { randomUUID } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { openStore } from '../../../../src-main/core/store/db'
import { Outbox } from '../../../../src-main/core/server/outbox'
import type { Message } from '../../../../src-main/core/server/protocol'

async function store() {
  return openStore({ path: join(await mkdtemp(join(tmpdir(), 'makima-outbox-')), 'daemon.db') })
}
const out = (taskId: string, i: number, pad = ''): Message => ({ type: 'taskOutput', taskId, output: `line ${i}${pad}`, isPartial: false })
const frames = (o: Outbox) => o.nextBatch(0, 100_000).map((r) => JSON.parse(r.frame) as Record<string, unknown>)

describe('Outbox', () => {
  it('keeps messages in order on disk until confirmed, across a reopen', async () => {
    const s = await store()
    const t = randomUUID()
    const o = new Outbox({ db: s.db, log: silentLogger() })
    o.enqueueMany([out(t, 0), out(t, 1)])
    o.enqueue({ type: 'taskComplete', taskId: t, success: true })
    const rows = o.nextBatch(0, 10)
    expect(rows.map((r) => JSON.parse(r.frame).type)).toEqual(['taskOutput', 'taskOutput', 'taskComplete'])
    o.confirm(rows[0]!.seq)
    expect(o.size().count).toBe(2)
    s.close()

    const again = await openStore({ path: s.path })
    const o2 = new Outbox({ db: again.db, log: silentLogger() })
    expect(o2.size().count).toBe(2)
    expect(frames(o2).map((f) => f.output ?? f.type)).toEqual(['line 1', 'taskComplete'])
    again.close()
  })

  it('refuses a message that does not match the protocol, and stores nothing of it', async () => {
    const s = await store()
    const o = new Outbox({ db: s.db, log: silentLogger() })
    expect(() => o.enqueueMany([out(randomUUID(), 0), { type: 'taskOutput', taskId: 'bad', output: 'x', isPartial: false }])).toThrow(/invalid taskOutput/)
    expect(o.size().count).toBe(0)
    s.close()
  })

  it('compacts only old output, never status or completion, and leaves a notice at the gap', async () => {
    const s = await store()
    const a = randomUUID()
    const b = randomUUID()
    const o = new Outbox({ db: s.db, log: silentLogger(), maxBytes: 20_000 })
    o.enqueue({ type: 'taskStatusChange', taskId: a, oldStatus: 'pending', newStatus: 'initializing' })
    for (let i = 0; i < 300; i++) o.enqueue(out(i % 2 ? a : b, i, '.'.repeat(100)))
    o.enqueue({ type: 'taskComplete', taskId: a, success: true })
    expect(o.size().bytes).toBeLessThanOrEqual(20_000)
    const f = frames(o)
    expect(f[0]).toMatchObject({ type: 'taskStatusChange' })
    expect(f.at(-1)).toMatchObject({ type: 'taskComplete' })
    const notices = f.filter((x) => typeof x.output === 'string' && (x.output as string).startsWith('[makima]'))
    expect(notices.map((n) => n.taskId).sort()).toEqual([a, b].sort())
    const dropped = notices.reduce((sum, n) => sum + Number(/(\d+) earlier/.exec(n.output as string)![1]), 0)
    const kept = f.filter((x) => typeof x.output === 'string' && (x.output as string).startsWith('line '))
    expect(dropped + kept.length).toBe(300)
    // Notices come before every kept line: they stand exactly where the dropped lines were.
    const lastNotice = Math.max(...notices.map((n) => f.indexOf(n)))
    const firstKept = f.indexOf(kept[0]!)
    expect(lastNotice).toBeLessThan(firstKept)
    s.close()
  })

  it('does not compact rows that are on the wire', async () => {
    const s = await store()
    const t = randomUUID()
    const o = new Outbox({ db: s.db, log: silentLogger(), maxBytes: 10_000 })
    for (let i = 0; i < 20; i++) o.enqueue(out(t, i, '.'.repeat(100)))
    const sent = o.nextBatch(0, 20)
    o.setInFlightThrough(sent.at(-1)!.seq)
    for (let i = 20; i < 200; i++) o.enqueue(out(t, i, '.'.repeat(100)))
    const f = frames(o)
    expect(f.slice(0, 20).map((x) => x.output)).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i}${'.'.repeat(100)}`))
    s.close()
  })
})
