// P3: 100 agents × 20 lines/s on the built core. Creating the 100 tasks (each on a small
// repository, one createTask after another) and then a steady window: getVersion round trips from a
// separate client (p99, worst), every createTask's round trip, when the last agent printed, and the
// core's RSS. Baselines: the same probe and RSS on the idle core before any task.
import { TempDirs } from '../../fixtures/git/repos'
import { createTasks, deliveries, streamDaemonEnv } from '../lib/agents'
import { connect, startBenchDaemon, until } from '../lib/daemon'
import { probeDuring } from '../lib/probe'
import { rssBytes, rssSampler } from '../lib/proc'
import { QUICK, figure, measure, pct, round, type Measure } from '../lib/stats'
import { repoOf } from './p1-create-task'

const MB = 2 ** 20

export async function run(): Promise<Measure> {
  const agents = 100
  const windowMs = QUICK ? 8_000 : 20_000
  const dirs = new TempDirs()
  const d = await startBenchDaemon({ env: { ...streamDaemonEnv({ lines: 0, rate: 20, hold: true }), MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS: String(agents) } })
  try {
    const repo = repoOf(dirs, 20)
    const client = await connect(d)
    const got = deliveries(client)
    const idle = await probeDuring(d, () => new Promise((r) => setTimeout(r, 1500)))
    const idleRss = rssBytes(d.pid)
    const rss = rssSampler(d.pid)
    let created: { ids: string[]; ms: number[] } = { ids: [], ms: [] }
    let lastFirstLineMs = 0
    const t0 = performance.now()
    const creating = await probeDuring(d, async () => {
      created = await createTasks(client, agents, (i) => ({ name: `p3 ${i}`, plan: 'stream', repoUrl: repo }))
      await until(() => created.ids.every((id) => got.has(id)), `P3: all ${agents} agents printing`, 180_000, 20)
      lastFirstLineMs = Math.max(...created.ids.map((id) => got.get(id)!.firstAt)) - t0
    })
    const linesBefore = [...got.values()].reduce((s, x) => s + x.lines, 0)
    const w0 = performance.now()
    const steady = await probeDuring(d, () => new Promise((r) => setTimeout(r, windowMs)))
    const linesPerSecond = ([...got.values()].reduce((s, x) => s + x.lines, 0) - linesBefore) / ((performance.now() - w0) / 1000)
    const peak = rss.stop().peakBytes
    client.close()
    const worstCreating = Math.max(...creating, ...created.ms)
    return measure(
      '100 agents × 20 lines/s: bridge request latency, core memory, creating the 100 tasks',
      {
        latencyP99: figure({ ours: pct(steady, 0.99), baseline: pct(idle, 0.99), unit: 'ms', goal: { value: 50, kind: 'max', unit: 'ms' }, baselineIs: 'the same probe on the idle core' }),
        coreRss: figure({ ours: peak / MB, baseline: idleRss / MB, unit: 'MB', goal: { value: 300, kind: 'max', unit: 'MB' }, baselineIs: 'the idle core' }),
        worstWaitWhileCreating: figure({ ours: worstCreating, baseline: Math.max(...idle), unit: 'ms', goal: { value: 200, kind: 'max', unit: 'ms' }, baselineIs: 'the worst probe round trip on the idle core' }),
      },
      {
        agents, linesPerAgentPerSecond: 20, windowMs, deliveredLinesPerSecond: round(linesPerSecond, 0),
        steadyLatency: { median: round(pct(steady, 0.5)), p99: round(pct(steady, 0.99)), max: round(Math.max(...steady)), samples: steady.length },
        creating: { probeP99: round(pct(creating, 0.99)), probeMax: round(Math.max(...creating)), createTaskMedian: round(pct(created.ms, 0.5)), createTaskMax: round(Math.max(...created.ms)), lastAgentFirstLineMs: round(lastFirstLineMs, 0) },
      },
    )
  } finally {
    await d.stop()
    dirs.cleanup()
  }
}
