// Chaos: kill -9 of the built core while 20 agents stream numbered lines, then a restart over the
// same data dir. "No stored line lost" means, per task:
//  - every line the core had stored before the kill (what getTaskOutput answered just before it)
//    is still stored after the restart;
//  - the stored numbered lines are exactly 1..k: no gap, no repeat, in order;
//  - k never exceeds what the agent had handed to the kernel (its own count, written when its
//    stdout broke). Lines the core had read but not yet committed, and those still in the dead
//    pipe, are the only ones that may be missing: they follow k, never inside 1..k.
// And every agent the dead core left running is stopped by the restarted core.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { seqOf } from '../fixtures/stream-agent'
import { createTasks, deliveries, streamDaemonEnv } from '../bench/lib/agents'
import { connect, startBenchDaemon, tempDir, until, type BenchDaemon, type BridgeClient } from '../bench/lib/daemon'
import { alive, killIfStill } from '../bench/lib/proc'

const AGENTS = 20
const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!().catch(() => undefined)
})

interface Progress {
  pid: number
  /** The task's working directory: its path names the task. */
  cwd: string
  flushed: number
  broken: boolean
}
const progressOf = (dir: string): Progress[] => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Progress)

/** Every stored line of a task, paged from the start. */
async function storedSeqs(client: BridgeClient, taskId: string): Promise<number[]> {
  const seqs: number[] = []
  let after = 0
  for (;;) {
    const { value } = await client.request<{ lines: { seq: number; data: string }[] }>('getTaskOutput', { taskId, afterSeq: after, limit: 5000 })
    if (value.lines.length === 0) return seqs
    for (const l of value.lines) {
      const n = seqOf(l.data)
      if (n !== null) seqs.push(n)
    }
    after = value.lines.at(-1)!.seq
  }
}

async function lastStoredSeq(client: BridgeClient, taskId: string): Promise<number> {
  const { value } = await client.request<{ lines: { data: string }[] }>('getTaskOutput', { taskId, tail: 50 })
  return Math.max(0, ...value.lines.map((l) => seqOf(l.data) ?? 0))
}

describe('chaos: kill -9 of the core mid-stream with 20 agents', () => {
  it('after a restart no stored line is lost, the stored lines have no gaps, and every orphan is stopped', async () => {
    const data = await tempDir('makima-chaos-kill-')
    const progress = await tempDir('makima-chaos-progress-')
    cleanup.push(() => data.remove(), () => progress.remove())
    const env = { ...streamDaemonEnv({ lines: 0, rate: 200, lineBytes: 300, hold: true, progressDir: progress.path }), MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS: String(AGENTS) }
    const pids: number[] = []
    cleanup.push(async () => {
      for (const p of pids) killIfStill(p, 'stream-agent')
    })

    const first: BenchDaemon = await startBenchDaemon({ dataDir: data.path, env })
    cleanup.push(() => first.kill9())
    const c1 = await connect(first)
    const got = deliveries(c1)
    const { ids } = await createTasks(c1, AGENTS, (i) => ({ name: `chaos ${i}`, plan: 'stream' }))
    await until(() => ids.every((id) => (got.get(id)?.lines ?? 0) >= 100), 'every agent to have delivered 100 lines', 120_000, 20)
    const before = new Map<string, number>()
    for (const id of ids) before.set(id, await lastStoredSeq(c1, id))
    pids.push(...progressOf(progress.path).map((p) => p.pid))
    expect(pids).toHaveLength(AGENTS)

    await first.kill9()
    c1.close()
    // The agents outlive the core (process groups of their own) and notice their stdout broke.
    expect(pids.filter(alive)).toHaveLength(AGENTS)
    await until(() => progressOf(progress.path).every((p) => p.broken), "every agent to see its core's pipe break", 10_000, 20)
    const flushedOf = (taskId: string) => progressOf(progress.path).find((p) => p.cwd.includes(taskId))?.flushed

    const second = await startBenchDaemon({ dataDir: data.path, env })
    cleanup.push(() => second.stopOnly())
    await until(() => pids.every((p) => !alive(p)), 'the restarted core to stop every orphaned agent', 30_000, 20)

    const c2 = await connect(second)
    cleanup.push(async () => c2.close())
    for (const id of ids) {
      const seqs = await storedSeqs(c2, id)
      const k = seqs.length
      expect(flushedOf(id), `task ${id}: its agent's progress file`).toBeGreaterThan(0)
      expect(seqs, `task ${id}: stored lines 1..k in order, no gap or repeat`).toEqual(Array.from({ length: k }, (_, i) => i + 1))
      expect(k, `task ${id}: lines stored before the kill are still there`).toBeGreaterThanOrEqual(before.get(id)!)
      expect(k, `task ${id}: never more than its agent handed to the kernel`).toBeLessThanOrEqual(flushedOf(id)!)
    }
    // The tasks are offered for resume, not silently running or lost.
    const { value: recoverable } = await c2.request<{ taskId: string }[]>('listRecoverable')
    expect(recoverable.map((r) => r.taskId).sort()).toEqual([...ids].sort())
  }, 240_000)
})
