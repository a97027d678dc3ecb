// P2: agent stdout → parsed → stored → delivered to a bridge client (a real WebSocket client of the
// built core's web bridge), 400-byte stream-json lines, against the same agent on a raw pipe read
// with readline + JSON.parse. Lines per second from the first numbered line to the last.
import { deliveries, rawPipe, streamDaemonEnv } from '../lib/agents'
import { connect, startBenchDaemon, until } from '../lib/daemon'
import { cpuMs } from '../lib/proc'
import { QUICK, figure, interleave, measure, round, type Measure } from '../lib/stats'

export async function run(): Promise<Measure> {
  const lines = QUICK ? 30_000 : 100_000
  const runs = QUICK ? 2 : 3
  const agent = { lines, lineBytes: 400 }
  const d = await startBenchDaemon({ env: streamDaemonEnv(agent) })
  try {
    const client = await connect(d)
    const got = deliveries(client)
    let n = 0
    // The core's own CPU time per line (from /proc, so other processes' load does not count): a
    // steadier figure than lines/s on a shared 2-core machine, for comparing changes.
    const cpuUsPerLine: number[] = []
    const ours = async () => {
      const cpu0 = cpuMs(d.pid)
      const { value } = await client.request<{ taskId: string }>('createTask', { name: `p2 ${n++}`, plan: 'stream' })
      const del = await until(() => (got.get(value.taskId)?.lines ?? 0) >= lines && got.get(value.taskId), `P2: ${lines} lines of ${value.taskId} at the client`, 300_000)
      cpuUsPerLine.push(((cpuMs(d.pid) - cpu0) * 1000) / lines)
      return lines / ((del.lastAt - del.firstAt) / 1000)
    }
    const raw = async () => {
      const r = await rawPipe(agent)
      return r.lines / (r.ms / 1000)
    }
    const m = await interleave(runs, ours, raw)
    client.close()
    return measure(
      'agent stdout → parsed → stored → delivered to a bridge client, 400-byte stream-json lines',
      {
        throughput: figure({ ours: m.ours, unit: 'lines/s', goal: { value: 100_000, kind: 'min', unit: 'lines/s' } }),
        vsRawPipe: figure({ ours: m.ours, baseline: m.baseline, unit: 'lines/s', on: 'ratio', goal: { value: 0.25, kind: 'min', unit: '×' }, baselineIs: 'the same agent on a pipe, readline + JSON.parse' }),
      },
      { linesPerRun: lines, lineBytes: 400, runs, coreCpuUsPerLine: cpuUsPerLine.map((x) => round(x, 1)), oursSamples: m.oursSamples.map((x) => round(x, 0)), baselineSamples: m.baselineSamples.map((x) => round(x, 0)) },
    )
  } finally {
    await d.stop()
  }
}
