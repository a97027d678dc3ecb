import { describe, expect, it } from 'vitest'
import { descendants, parseStat, startOfIdentity, type ProcTable } from '../../../../src-main/core/agents/process-tree'

const stat = (pid: number, comm: string, state: string, ppid: number, pgid: number, start: number) =>
  `${pid} (${comm}) ${state} ${ppid} ${pgid} ${pgid} 0 -1 4194304 1 0 0 0 0 0 0 0 20 0 1 0 ${start} 1000 100 18446744073709551615`

describe('process tree from /proc', () => {
  it('parses stat lines whose command name holds spaces and parentheses', () => {
    expect(parseStat(42, stat(42, 'a (b) c)', 'T', 7, 40, 12345))).toEqual({ pid: 42, ppid: 7, pgid: 40, state: 'T', start: '12345' })
    expect(parseStat(1, 'garbage')).toBeUndefined()
    expect(parseStat(1, '1 (x) S 0')).toBeUndefined()
  })

  it('lists a root and its descendants parents first, and nothing outside the tree', () => {
    const table: ProcTable = new Map()
    const add = (pid: number, ppid: number) => table.set(pid, parseStat(pid, stat(pid, 'p', 'S', ppid, pid, pid))!)
    add(1, 0)
    add(10, 1) // the agent
    add(11, 10) // a tool in its own session
    add(12, 11)
    add(13, 10)
    add(14, 12)
    add(20, 1) // unrelated
    expect(descendants(table, [10])).toEqual([10, 11, 13, 12, 14])
    expect(descendants(table, [99])).toEqual([])
    expect(descendants(table, [11, 12])).toEqual([11, 12, 14])
  })

  it('takes the start time out of an identity', () => {
    expect(startOfIdentity('0b7a-boot:123456')).toBe('123456')
  })
})
