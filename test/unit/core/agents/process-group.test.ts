// What a tree walk may signal: never a process outside the root's tree or group, never a recycled
// pid or the group it leads, never init, "every process" (-1), our own group (0) or ourselves.
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { groupAlive, isForbiddenTarget, signalGroup, signalPid, TreeTracker } from '../../../../src-main/core/agents/process-group'
import { parseStat, type ProcTable } from '../../../../src-main/core/agents/process-tree'

const stat = (pid: number, state: string, ppid: number, pgid: number, start: number) =>
  `${pid} (p) ${state} ${ppid} ${pgid} ${pgid} 0 -1 4194304 1 0 0 0 0 0 0 0 20 0 1 0 ${start} 1000 100 18446744073709551615`

function table(rows: [pid: number, ppid: number, pgid: number, start: number, state?: string][]): ProcTable {
  const t: ProcTable = new Map()
  for (const [pid, ppid, pgid, start, state] of rows) t.set(pid, parseStat(pid, stat(pid, state ?? 'S', ppid, pgid, start))!)
  return t
}

afterEach(() => vi.restoreAllMocks())

describe('TreeTracker', () => {
  // 100 is the agent (group leader), 101 a tool in its group, 102 a tool in a session of its own,
  // 103 the tool's child; 200 and 201 are unrelated (another group), 1 is init.
  const tree = table([
    [1, 0, 1, 1], [100, 50, 100, 5000], [101, 100, 100, 5001], [102, 100, 102, 5002], [103, 102, 102, 5003],
    [200, 1, 200, 6000], [201, 200, 200, 6001],
  ])

  it('takes the root, its descendants and its group, and nothing else', () => {
    expect(new TreeTracker(100, tree, '5000').update(tree).sort()).toEqual([100, 101, 102, 103])
    expect(new TreeTracker(100, tree).update(tree).sort()).toEqual([100, 101, 102, 103])
  })

  it('keeps what it saw once the parents are gone (re-parented to init), by start time', () => {
    const t = new TreeTracker(100, tree, '5000')
    t.update(tree)
    const later = table([[1, 0, 1, 1], [102, 1, 102, 5002], [103, 102, 102, 5003], [104, 103, 102, 5010], [200, 1, 200, 6000]])
    expect(t.update(later).sort()).toEqual([102, 103, 104])
    // 103 exited and its pid went to an unrelated process: not taken for it.
    const recycled = table([[1, 0, 1, 1], [102, 1, 102, 5002], [103, 1, 103, 7000], [200, 1, 200, 6000]])
    expect(t.update(recycled)).toEqual([102])
  })

  it('a root whose start time differs is another process: neither it, its children nor its group', () => {
    const t = new TreeTracker(200, tree, '5999')
    expect(t.update(tree)).toEqual([])
    // Its group grows later: still not ours.
    expect(t.update(table([...[...tree.values()].map((e) => [e.pid, e.ppid, e.pgid, Number(e.start)] as [number, number, number, number]), [202, 1, 200, 6100]]))).toEqual([])
  })

  it('a gone root: its group members, but not ones older than the root', () => {
    const gone = table([[1, 0, 1, 1], [101, 1, 100, 5001], [99, 1, 100, 4000], [200, 1, 200, 6000]])
    expect(new TreeTracker(100, gone, '5000').update(gone)).toEqual([101])
  })

  it('never returns init or this process, even when they look like members', () => {
    const odd = table([[1, 0, 100, 1], [process.pid, 100, 100, 5004], [100, 50, 100, 5000]])
    expect(new TreeTracker(100, odd, '5000').update(odd)).toEqual([100])
  })
})

describe('signal targets', () => {
  it('refuses pid/pgid 0, 1, -1 and our own pid without calling kill', () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true)
    for (const id of [0, 1, -1, process.pid, Number.NaN]) {
      expect(isForbiddenTarget(id)).toBe(true)
      expect(signalGroup(id, 'SIGCONT')).toBe(false)
      expect(signalPid(id, 'SIGCONT')).toBe(false)
      expect(groupAlive(id)).toBe(false)
    }
    expect(kill).not.toHaveBeenCalled()
    expect(isForbiddenTarget(4242)).toBe(false)
  })

  it('refuses our own process group and every ancestor (whoever started the core)', () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true)
    const pgid = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[2])
    expect(pgid).not.toBe(process.pid) // a vitest worker shares the runner's group
    for (const id of [pgid, process.ppid]) {
      expect(isForbiddenTarget(id)).toBe(true)
      expect(signalGroup(id, 'SIGKILL')).toBe(false)
      expect(signalPid(id, 'SIGKILL')).toBe(false)
    }
    expect(kill).not.toHaveBeenCalled()
  })
})
