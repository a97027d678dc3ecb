// Probe (not part of `npm run bench`): 20 tasks created at once on a 2,000-file repository, each
// running the real Claude Code CLI against the scripted model server (in this process too), through
// the real TaskManager. Reports the event-loop delay p99 from the first spawn until every agent has
// printed, and how long that took. `npx tsx test/bench/probes/start-burst.ts [tasks]`
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { makeBigRepo, TempDirs } from '../../fixtures/git/repos'
import { text } from '../../fixtures/model-server'
import { makeHarness, waitFor } from '../../integration/core/tasks/harness'

const N = Number(process.argv[2] ?? 20)
const id = (n: number) => `44444444-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`

async function main(): Promise<void> {
  const dirs = new TempDirs()
  const h = await makeHarness({ limits: { maxConcurrentTasks: 200, maxTasksPerContract: 200 }, scenario: { fallback: text('OK') } })
  try {
    const repo = makeBigRepo(dirs, 2000)
    const loop = monitorEventLoopDelay({ resolution: 5 })
    loop.enable()
    const t0 = Date.now()
    await Promise.all(Array.from({ length: N }, (_, i) => h.manager.spawn({ taskId: id(i), taskName: `burst ${i}`, plan: 'say OK', repoUrl: repo })))
    await waitFor(() => Array.from({ length: N }, (_, i) => h.manager.timings(id(i))?.firstOutputAt).every((t) => t !== undefined), { timeoutMs: 300_000, what: 'every first line' })
    const firstOutputs = Array.from({ length: N }, (_, i) => h.manager.timings(id(i))!.firstOutputAt! - t0)
    loop.disable()
    console.log(JSON.stringify({
      probe: 'start-burst', tasks: N, files: 2000,
      loopDelayP99Ms: +(loop.percentile(99) / 1e6).toFixed(1), loopDelayMaxMs: +(loop.max / 1e6).toFixed(1),
      lastFirstLineMs: Math.max(...firstOutputs), medianFirstLineMs: firstOutputs.sort((a, b) => a - b)[Math.floor(N / 2)],
    }))
    await waitFor(() => h.manager.runningCount() === 0, { timeoutMs: 300_000, what: 'every task to end' })
  } finally {
    await h.close()
    dirs.cleanup()
  }
}
void main()
