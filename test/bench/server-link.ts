// Benchmark of the server link: messages/s persisted into the outbox, messages/s delivered end to end
// (outbox → socket → fake server, confirmed by ping/pong), backlog drain after a reconnect, and
// the time from a spawnTask to its first output. Returns JSON-able figures; prints them when run
// directly (`npx tsx test/bench/server-link.ts`).
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '../../src-main/core/log/logger'
import { openStore } from '../../src-main/core/store/db'
import { createServerLink } from '../../src-main/core/server/link'
import { Outbox } from '../../src-main/core/server/outbox'
import { FakeServer } from '../fixtures/fake-server/server'
import { ChildProcessEngine, RecordingLogin, RecordingProcess, spawn, waitFor } from '../integration/core/server/helpers'
import { FAST, NO_GIT } from '../integration/core/server/link-harness'

const LINE = JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: 'x'.repeat(120) }] } })

export async function benchServerLink(opts: { messages?: number } = {}): Promise<Record<string, number>> {
  const N = opts.messages ?? 20_000
  const dir = await mkdtemp(join(tmpdir(), 'makima-bench-link-'))
  const store = await openStore({ path: join(dir, 'daemon.db') })
  const figures: Record<string, number> = { messages: N, lineBytes: LINE.length }
  try {
    // 1. Outbox alone: enqueue in batches of 100 (as the output pipeline batches), then single.
    const o = new Outbox({ db: store.db, log: silentLogger() })
    const taskId = randomUUID()
    let t0 = performance.now()
    for (let i = 0; i < N; i += 100) o.enqueueMany(Array.from({ length: 100 }, () => ({ type: 'taskOutput' as const, taskId, output: LINE, isPartial: false })))
    figures.outboxEnqueueBatchedPerSec = Math.round(N / ((performance.now() - t0) / 1000))
    t0 = performance.now()
    for (let i = 0; i < N / 4; i++) o.enqueue({ type: 'taskOutput', taskId, output: LINE, isPartial: false })
    figures.outboxEnqueueSinglePerSec = Math.round(N / 4 / ((performance.now() - t0) / 1000))
    o.confirm(Number.MAX_SAFE_INTEGER)

    // 2. End to end through a real socket to the fake server.
    const server = new FakeServer()
    await server.start()
    const engine = new ChildProcessEngine({ linesPerTask: 1 })
    const link = await createServerLink({
      url: server.url, apiKey: 'test-api-key', dataDir: dir, db: store.db, maxConcurrentTasks: 4, heartbeatIntervalSecs: 30, reconnectIntervalSecs: 5,
      tasks: engine, git: NO_GIT, login: new RecordingLogin(), process: new RecordingProcess(), log: silentLogger(), tuning: FAST,
    })
    link.start()
    await server.waitForSession()
    const received = () => server.messages.length
    let base = received()
    t0 = performance.now()
    for (let i = 0; i < N; i += 100) engine.emit(...Array.from({ length: 100 }, () => ({ type: 'taskOutput' as const, taskId, output: LINE, isPartial: false })))
    await waitFor(() => received() - base >= N && link.outbox.size().count === 0, { timeoutMs: 120_000 })
    figures.endToEndConfirmedPerSec = Math.round(N / ((performance.now() - t0) / 1000))

    // 3. Backlog: queue N while the server is down, then time the drain after it returns.
    await server.kill()
    await waitFor(() => link.state.kind !== 'connected')
    for (let i = 0; i < N; i += 100) engine.emit(...Array.from({ length: 100 }, () => ({ type: 'taskOutput' as const, taskId, output: LINE, isPartial: false })))
    base = received()
    t0 = performance.now()
    await server.start()
    await waitFor(() => received() - base >= N && link.outbox.size().count === 0, { timeoutMs: 120_000 })
    figures.backlogDrainMs = Math.round(performance.now() - t0)
    figures.backlogDrainPerSec = Math.round(N / (figures.backlogDrainMs / 1000))

    // 4. spawnTask → first taskOutput at the server (the engine runs a real child process).
    const spawnTimes: number[] = []
    for (let i = 0; i < 5; i++) {
      const id = randomUUID()
      const start = performance.now()
      server.send(spawn(id, `bench-${i}`))
      await server.waitFor({ type: 'taskOutput', taskId: id } as never, 20_000)
      spawnTimes.push(performance.now() - start)
    }
    spawnTimes.sort((a, b) => a - b)
    figures.spawnToFirstOutputMedianMs = Math.round(spawnTimes[2]! * 10) / 10

    await link.stop()
    await engine.stopAll(0)
    await server.kill()
  } finally {
    store.close()
    await rm(dir, { recursive: true, force: true })
  }
  return figures
}

if (process.argv[1]?.endsWith('server-link.ts')) {
  benchServerLink().then(
    (f) => process.stdout.write(`${JSON.stringify(f, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`)
      process.exit(1)
    },
  )
}
