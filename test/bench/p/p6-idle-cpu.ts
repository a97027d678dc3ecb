// P6: CPU of the idle built core holding 20 ended and 5 paused tasks, over a quiet window, against
// an idle node process (a timer, nothing else) measured over the same window.
import { spawn } from 'node:child_process'
import { createTasks, deliveries, streamDaemonEnv } from '../lib/agents'
import { connect, startBenchDaemon, until } from '../lib/daemon'
import { cpuMs } from '../lib/proc'
import { QUICK, figure, measure, round, type Measure } from '../lib/stats'

export async function run(): Promise<Measure> {
  const windowMs = QUICK ? 5_000 : 15_000
  // Each agent prints 10 lines and ends.
  const d = await startBenchDaemon({ env: streamDaemonEnv({ lines: 10, rate: 100 }) })
  const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' })
  idle.on('error', () => undefined)
  try {
    const client = await connect(d)
    const states = new Map<string, string>()
    client.on('taskUpdated', (p) => {
      const t = p as { id: string; state: string }
      states.set(t.id, t.state)
    })
    const ended = await createTasks(client, 20, (i) => ({ name: `ended ${i}`, plan: 'stream' }))
    await until(() => ended.ids.every((id) => ['completed', 'failed', 'interrupted'].includes(states.get(id) ?? '')), 'P6: 20 tasks ended', 120_000, 50)
    // The paused ones need agents that keep streaming, and the agent's knobs are the core's
    // environment: they are created by a second run of the core over the same data dir.
    client.close()
    await d.stopOnly()
    const again = await startBenchDaemon({ dataDir: d.dataDir, env: streamDaemonEnv({ lines: 0, rate: 2, hold: true }) })
    try {
      const c2 = await connect(again)
      const got2 = deliveries(c2)
      const paused = await createTasks(c2, 5, (i) => ({ name: `paused ${i}`, plan: 'stream' }))
      await until(() => paused.ids.every((id) => (got2.get(id)?.lines ?? 0) > 0), 'P6: 5 agents streaming', 60_000, 20)
      for (const id of paused.ids) await c2.request('pauseTask', { taskId: id })
      c2.close()
      await new Promise((r) => setTimeout(r, 2_000)) // settle: the last events and store writes
      const c0 = cpuMs(again.pid)
      const i0 = cpuMs(idle.pid!)
      const t0 = performance.now()
      await new Promise((r) => setTimeout(r, windowMs))
      const ms = performance.now() - t0
      const ours = ((cpuMs(again.pid) - c0) / ms) * 100
      const base = ((cpuMs(idle.pid!) - i0) / ms) * 100
      return measure(
        'idle CPU of the core with 20 ended + 5 paused tasks (no client connected)',
        { idleCpu: figure({ ours, baseline: base, unit: '% of a core', goal: { value: 1, kind: 'max', unit: '%' }, baselineIs: 'an idle node process (one timer) over the same window' }) },
        { windowMs: round(ms, 0), clockTickMs: 10 },
      )
    } finally {
      await again.stopOnly()
    }
  } finally {
    idle.kill('SIGKILL')
    await d.stop()
  }
}
