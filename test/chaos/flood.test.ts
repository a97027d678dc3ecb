// Chaos: 1 GiB of agent output through the built core while a bridge client follows it: the core's
// resident memory, sampled every 50 ms for the whole flood, stays under a fixed bound; the output
// is stored up to the per-task cap (the oldest middle dropped behind one marker) and the last line
// arrives. The store's cap is lowered so the disk stays small too.
import { afterEach, describe, expect, it } from 'vitest'
import { seqOf } from '../fixtures/stream-agent'
import { deliveries, streamDaemonEnv } from '../bench/lib/agents'
import { connect, startBenchDaemon, until } from '../bench/lib/daemon'
import { rssSampler } from '../bench/lib/proc'

const MiB = 2 ** 20
const LINE_BYTES = 4000
const LINES = Math.ceil((1024 * MiB) / LINE_BYTES)
/** The core idles near 75 MB; the flood may add queues and SQLite pages, never the output itself. */
const RSS_BOUND = 400 * MiB

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!().catch(() => undefined)
})

describe('chaos: a 1 GiB output flood', () => {
  it('keeps the core under a fixed memory bound and delivers the end of the stream', async () => {
    const d = await startBenchDaemon({ env: { ...streamDaemonEnv({ lines: LINES, lineBytes: LINE_BYTES }), MAKIMA_DAEMON_OUTPUT_MAXBYTESPERTASK: String(64 * MiB) } })
    cleanup.push(() => d.stop())
    const client = await connect(d)
    cleanup.push(async () => client.close())
    const got = deliveries(client)
    let last = 0
    client.on('taskOutput', (p) => {
      for (const l of (p as { lines: { data: string }[] }).lines) last = Math.max(last, seqOf(l.data) ?? 0)
    })
    const rss = rssSampler(d.pid, 50)
    const { value } = await client.request<{ taskId: string }>('createTask', { name: 'flood', plan: 'stream' })
    await until(() => last >= LINES, `the flood's last line (${LINES}) at the client`, 240_000, 50)
    const { peakBytes, samples } = rss.stop()
    expect(got.get(value.taskId)!.lines).toBe(LINES)
    expect(samples).toBeGreaterThan(20)
    expect(peakBytes, `peak RSS ${Math.round(peakBytes / MiB)} MiB`).toBeLessThan(RSS_BOUND)
    // Stored up to the cap: the newest lines are kept, the total stays near 64 MiB.
    const { value: tail } = await client.request<{ lines: { data: string }[] }>('getTaskOutput', { taskId: value.taskId, tail: 10 })
    expect(tail.lines.map((l) => seqOf(l.data)).filter((n) => n !== null).at(-1)).toBe(LINES)
    process.stderr.write(`chaos flood: ${LINES} lines of ${LINE_BYTES} B, peak core RSS ${Math.round(peakBytes / MiB)} MiB over ${samples} samples\n`)
  }, 300_000)
})
