// Everyone waiting on /proc during one poll shares one scan; a caller that asks while a scan is
// running waits for the next one (its table must be read after it asked).
import { describe, expect, it } from 'vitest'
import { ProcPoller } from '../../../../src-main/core/agents/proc-poller'
import { readProcTable, type ProcTable } from '../../../../src-main/core/agents/process-tree'

describe('ProcPoller', () => {
  it('one scan for every waiter of a poll, read after they asked', async () => {
    let reads = 0
    const poller = new ProcPoller(async () => {
      reads++
      return readProcTable()
    })
    const tables = await Promise.all(Array.from({ length: 50 }, (_, i) => poller.next(i % 2 ? 40 : 5)))
    expect(reads).toBe(1)
    expect(poller.scans).toBe(1)
    expect(tables.every((t) => t === tables[0])).toBe(true)
    expect(tables[0]!.get(process.pid)).toBeDefined()
  })

  it('a caller arriving mid-scan gets the next scan, not the one already under way', async () => {
    let release!: () => void
    let started!: () => void
    const firstStarted = new Promise<void>((r) => (started = r))
    let n = 0
    const poller = new ProcPoller(async () => {
      const mine = ++n
      if (mine === 1) {
        started()
        await new Promise<void>((r) => (release = r))
      }
      return new Map([[mine, { pid: mine, ppid: 0, pgid: 0, state: 'R', start: '1' }]]) as ProcTable
    })
    const first = poller.next(0)
    await firstStarted
    const second = poller.next(0)
    release()
    expect([...(await first)!.keys()]).toEqual([1])
    expect([...(await second)!.keys()]).toEqual([2])
  })
})
