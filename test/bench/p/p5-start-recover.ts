// P5: cold start of the built core over a store of 10,000 tasks (spawn → ready line) against a
// plain node process that opens the same database and reads every task row; and recovery of 100
// agents left running by a core killed with kill -9 (restart spawn → ready with every orphan
// stopped) against stopping the same 100 agent processes directly (SIGTERM, wait for all).
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openStore } from '../../../src-main/core/store/db'
import { TaskRepository } from '../../../src-main/core/store/task-repository'
import { STREAM_AGENT, streamAgentEnv } from '../../fixtures/stream-agent'
import { taskRecord } from '../../fixtures/store/task-record'
import { createTasks, deliveries, streamDaemonEnv } from '../lib/agents'
import { connect, startBenchDaemon, tempDir, until } from '../lib/daemon'
import { alive, killIfStill } from '../lib/proc'
import { QUICK, figure, interleave, measure, type Measure } from '../lib/stats'

const uuid = (n: number) => `55555555-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`

async function seed(dataDir: string, tasks: number): Promise<void> {
  const store = await openStore({ path: join(dataDir, 'daemon.db') })
  const repo = new TaskRepository(store.db)
  const at = new Date().toISOString()
  store.db.transaction(() => {
    for (let i = 0; i < tasks; i++) repo.save(taskRecord(uuid(i), { name: `task ${i}`, plan: 'an ended task', state: i % 10 === 0 ? 'failed' : 'completed', completedAt: at }))
  })()
  store.close()
}

/** Baseline: node starts, opens the same database with better-sqlite3, reads every task, prints. */
async function plainStart(dataDir: string): Promise<number> {
  const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(${JSON.stringify(join(dataDir, 'daemon.db'))}, { readonly: true }); db.prepare('SELECT * FROM tasks').all(); console.log('ready')`
  const t0 = performance.now()
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((res, rej) => {
    child.on('error', rej)
    child.stdout.once('data', () => res())
  })
  const ms = performance.now() - t0
  await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)))
  return ms
}

async function coldStart(runs: number): Promise<{ ours: number; baseline: number; oursSamples: number[]; baselineSamples: number[] }> {
  const dir = await tempDir('makima-bench-p5-')
  try {
    await seed(dir.path, 10_000)
    const ours = async () => {
      const d = await startBenchDaemon({ dataDir: dir.path })
      await d.stopOnly()
      return d.readyMs
    }
    return await interleave(runs, ours, () => plainStart(dir.path))
  } finally {
    await dir.remove()
  }
}

const pidsIn = (dir: string): number[] => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { pid: number }).pid)

async function recoverOnce(agents: number): Promise<number> {
  const dir = await tempDir('makima-bench-p5r-')
  const progressDir = (await tempDir('makima-bench-p5p-')).path
  const env = { ...streamDaemonEnv({ lines: 0, rate: 5, progressDir, hold: true }), MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS: String(agents) }
  let pids: number[] = []
  try {
    const d = await startBenchDaemon({ dataDir: dir.path, env })
    const client = await connect(d)
    const got = deliveries(client)
    const { ids } = await createTasks(client, agents, (i) => ({ name: `orphan ${i}`, plan: 'stream' }))
    await until(() => ids.every((id) => (got.get(id)?.lines ?? 0) > 0), `P5: all ${agents} agents streaming`, 180_000, 50)
    pids = pidsIn(progressDir)
    client.close()
    await d.kill9()
    if (pids.filter(alive).length !== agents) throw new Error(`P5: ${pids.filter(alive).length} of ${agents} agents outlived the core`)
    const t0 = performance.now()
    const again = await startBenchDaemon({ dataDir: dir.path, env })
    await until(() => pids.every((p) => !alive(p)), 'P5: every orphan stopped', 60_000, 5)
    const ms = performance.now() - t0
    await again.stopOnly()
    return ms
  } finally {
    for (const p of pids) killIfStill(p, 'stream-agent')
    await dir.remove()
    await (await import('node:fs/promises')).rm(progressDir, { recursive: true, force: true })
  }
}

/** Baseline: the same 100 agents started directly, then stopped with SIGTERM; ms until all exited. */
async function stopDirectly(agents: number): Promise<number> {
  const children = Array.from({ length: agents }, () => {
    const c = spawn(STREAM_AGENT, ['-p'], { env: { ...process.env, ...streamAgentEnv({ lines: 0, rate: 5, hold: true }) }, stdio: ['pipe', 'pipe', 'ignore'] })
    c.on('error', () => undefined)
    c.stdin.write('{"type":"user"}\n')
    c.stdout.resume()
    return c
  })
  await Promise.all(children.map((c) => new Promise((r) => c.stdout.once('data', r))))
  const t0 = performance.now()
  await Promise.all(children.map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')))))
  return performance.now() - t0
}

export async function run(): Promise<Measure> {
  const start = await coldStart(QUICK ? 3 : 5)
  const agents = 100
  const rec = await interleave(QUICK ? 1 : 2, () => recoverOnce(agents), () => stopDirectly(agents), 0)
  return measure(
    'cold start with 10,000 tasks; recovery of 100 orphaned agents after kill -9',
    {
      coldStart10kTasks: figure({ ours: start.ours, baseline: start.baseline, unit: 'ms', goal: { value: 1000, kind: 'max', unit: 'ms' }, baselineIs: 'node + better-sqlite3 opening the same database and reading every task' }),
      recover100Orphans: figure({ ours: rec.ours, baseline: rec.baseline, unit: 'ms', goal: { value: 2000, kind: 'max', unit: 'ms' }, baselineIs: 'SIGTERM to the same 100 agent processes, until all exited' }),
    },
    { coldStartSamples: start.oursSamples, coldStartBaselineSamples: start.baselineSamples, recoverSamples: rec.oursSamples, recoverBaselineSamples: rec.baselineSamples, recoverMeasuredAs: 'restart spawn → every orphan gone (ready line on the way)' },
  )
}
