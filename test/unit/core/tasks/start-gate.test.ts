// Agent launches run a few at a time, in order, with the event loop served between them; a task
// stopped while it waits never launches.
import { describe, expect, it } from 'vitest'
import { StartGate } from '../../../../src-main/core/tasks/start-gate'

function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((r) => (open = r))
  return { promise, open }
}

describe('StartGate', () => {
  it('never runs more than max launches at once, and runs them all in FIFO order', async () => {
    const gate = new StartGate(4)
    let inFlight = 0
    let peak = 0
    const order: number[] = []
    const latches = Array.from({ length: 12 }, () => latch())
    const runs = latches.map((l, i) =>
      gate.run(`t${i}`, async () => {
        order.push(i)
        peak = Math.max(peak, ++inFlight)
        await l.promise
        inFlight--
        return i
      }),
    )
    // Wait until the first four are in (the rest queue).
    await new Promise<void>((r) => setImmediate(r))
    expect(order).toEqual([0, 1, 2, 3])
    expect(gate.waitingCount).toBe(8)
    for (const l of latches) l.open()
    const results = await Promise.all(runs)
    expect(results.map((r) => (r.kind === 'ran' ? r.value : -1))).toEqual(latches.map((_, i) => i))
    expect(peak).toBe(4)
    expect(order).toEqual(latches.map((_, i) => i))
  })

  it('the event loop gets a turn between one launch and the next', async () => {
    const gate = new StartGate(1)
    const seen: string[] = []
    const a = gate.run('a', async () => void seen.push('launch a'))
    const b = gate.run('b', async () => void seen.push('launch b'))
    // Queued behind a's launch: an I/O-phase callback must run before b launches.
    setImmediate(() => seen.push('loop turn'))
    await Promise.all([a, b])
    expect(seen).toEqual(['launch a', 'loop turn', 'launch b'])
  })

  it('a waiting launch is cancelled by its key and never runs; the others go on', async () => {
    const gate = new StartGate(1)
    const first = latch()
    const ran: string[] = []
    const a = gate.run('a', async () => {
      ran.push('a')
      await first.promise
    })
    const b = gate.run('b', async () => void ran.push('b'))
    const c = gate.run('c', async () => void ran.push('c'))
    expect(gate.cancel('b')).toBe(true)
    expect(gate.cancel('b')).toBe(false)
    expect(await b).toEqual({ kind: 'cancelled' })
    first.open()
    await Promise.all([a, c])
    expect(ran).toEqual(['a', 'c'])
  })

  it('cancelAll empties the queue (shutdown); a failing launch frees its turn', async () => {
    const gate = new StartGate(1)
    const first = latch()
    const a = gate.run('a', async () => {
      await first.promise
      throw new Error('spawn failed')
    })
    const waiting = [gate.run('b', async () => 1), gate.run('c', async () => 2)]
    gate.cancelAll()
    expect(await Promise.all(waiting)).toEqual([{ kind: 'cancelled' }, { kind: 'cancelled' }])
    first.open()
    await expect(a).rejects.toThrow('spawn failed')
    expect(await gate.run('d', async () => 'd')).toEqual({ kind: 'ran', value: 'd' })
  })
})
