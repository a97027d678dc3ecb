// The link under stress: a server killed mid-stream, a flood of bad frames, three daemons on one
// server, an outbox over its bound, and secrets kept out of the logs throughout.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeServer } from '../../../fixtures/fake-server/server'
import { ChildProcessEngine, spawn, waitFor } from './helpers'
import { makeLink } from './link-harness'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

async function startServer(opts: ConstructorParameters<typeof FakeServer>[0] = {}): Promise<FakeServer> {
  const server = new FakeServer(opts)
  await server.start()
  cleanup.push(() => server.kill())
  return server
}

function linesOf(server: FakeServer, taskId: string): { session: number; n: number }[] {
  return server.messages
    .filter((r) => r.message?.type === 'taskOutput' && r.message.taskId === taskId && r.message.output.startsWith('line '))
    .map((r) => ({ session: r.session, n: Number((r.message as { output: string }).output.slice(5)) }))
}

describe('server killed in the middle of a 10,000-line stream', () => {
  it('delivers every line, in order, with no gaps; only the in-flight tail repeats', async () => {
    const server = await startServer()
    const h = await makeLink({ url: server.url })
    cleanup.push(() => h.close())
    h.link.start()
    await server.waitForSession()
    const taskId = randomUUID()
    const TOTAL = 10_000
    let produced = 0
    const producer = (async () => {
      while (produced < TOTAL) {
        const batch = []
        for (let i = 0; i < 50 && produced < TOTAL; i++) batch.push({ type: 'taskOutput' as const, taskId, output: `line ${produced++}`, isPartial: false })
        h.engine.emit(...batch)
        await new Promise((r) => setTimeout(r, 1))
      }
    })()
    await waitFor(() => linesOf(server, taskId).length >= 3000, { what: '3000 lines received' })
    await server.kill()
    const atKill = linesOf(server, taskId).length
    expect(atKill).toBeLessThan(TOTAL)
    await waitFor(() => produced >= Math.min(TOTAL, atKill + 2000), { what: 'more lines produced while the server is down' })
    await server.start()
    await producer
    await waitFor(() => linesOf(server, taskId).some((l) => l.n === TOTAL - 1), { timeoutMs: 20_000, what: 'the last line' })
    await waitFor(() => h.link.outbox.size().count === 0, { what: 'outbox drained' })

    const got = linesOf(server, taskId)
    expect(new Set(got.map((l) => l.n)).size).toBe(TOTAL)
    let repeats = 0
    let maxSoFar = -1
    for (let i = 0; i < got.length; i++) {
      const { session, n } = got[i]!
      if (i > 0 && got[i - 1]!.session === session) expect(n).toBe(got[i - 1]!.n + 1)
      else {
        expect(n).toBeLessThanOrEqual(maxSoFar + 1) // a new session never skips ahead
        repeats += maxSoFar + 1 - n
      }
      maxSoFar = Math.max(maxSoFar, n)
    }
    expect(got.length).toBe(TOTAL + repeats)
    expect(new Set(got.map((l) => l.session)).size).toBeGreaterThanOrEqual(2)
    expect(server.invalid()).toEqual([])
  }, 40_000)
})

describe('10,000 malformed, unknown and oversized frames', () => {
  it('keeps the connection, keeps serving, answers the ones that name a task, and does not flood the log', async () => {
    const server = await startServer({ acceptedKeys: ['sk-ant-api03-flood-secret-key'] })
    const h = await makeLink({ url: server.url, apiKey: 'sk-ant-api03-flood-secret-key' })
    cleanup.push(() => h.close())
    h.link.start()
    const session = await server.waitForSession()
    const named = randomUUID()
    const kinds = [
      () => '{not json',
      () => '[1,2,3]',
      () => '"just a string"',
      () => JSON.stringify({ noType: true, apiKey: 'sk-ant-api03-flood-secret-key' }),
      () => JSON.stringify({ type: 'launchMissiles', taskId: randomUUID() }),
      () => JSON.stringify({ type: 'pauseTask', taskId: 'not-a-uuid' }),
      () => JSON.stringify({ type: 'mergeResolve', taskId: randomUUID(), file: 'a', strategy: 'both' }),
      () => JSON.stringify({ type: 'sendMessage', taskId: 'x', message: 'AUTH_CODE: leaked-code-in-bad-frame' }),
      () => JSON.stringify({ type: 'interruptTask', taskId: named }), // names a task: answered
    ]
    let answersExpected = 0
    for (let i = 0; i < 10_000; i++) {
      if (i % 1000 === 500) {
        server.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]), undefined, true)
        continue
      }
      const k = i % kinds.length
      if (k === kinds.length - 1) answersExpected++
      server.sendRaw(kinds[k]!())
    }
    const big = `{"type":"pauseTask","taskId":"${randomUUID()}","pad":"${'x'.repeat(16 * 1024 * 1024)}"}`
    for (let i = 0; i < 3; i++) server.sendRaw(big)

    const taskId = randomUUID()
    server.send(spawn(taskId, 'after-flood'))
    await server.waitFor({ type: 'taskComplete', taskId, success: true }, 20_000)
    await waitFor(() => server.ofType('taskOutput').filter((m) => m.taskId === named).length === answersExpected, { what: 'answers to invalid commands naming a task' })
    expect(server.ofType('taskOutput').find((m) => m.taskId === named)!.output).toMatch(/Invalid interruptTask command: graceful/)
    expect(server.sessions.filter((s) => s.authenticated)).toHaveLength(1)
    expect(session.closed).toBe(false)
    expect(h.link.state.kind).toBe('connected')
    const ignoredLines = h.lines.filter((l) => l.includes('frame from server ignored'))
    expect(ignoredLines.length).toBeLessThanOrEqual(2 * 20 * 7) // throttled: 20 per kind per window, stderr + file forms
    expect(h.lines.some((l) => l.includes('over the 16777216-byte limit'))).toBe(true)
    const all = h.lines.join('\n')
    expect(all).not.toContain('sk-ant-api03-flood-secret-key')
    expect(all).not.toContain('leaked-code-in-bad-frame')
  }, 40_000)
})

describe('three daemons against one server', () => {
  it('each daemon runs the tasks sent to it, and only those', async () => {
    const server = await startServer()
    const daemons = await Promise.all([0, 1, 2].map(() => makeLink({ url: server.url, engine: new ChildProcessEngine({ linesPerTask: 5 }) })))
    for (const d of daemons) {
      cleanup.push(() => d.close())
      d.link.start()
    }
    await Promise.all(daemons.map((d) => server.waitForSession(d.link.machineId)))
    expect(new Set(daemons.map((d) => d.link.machineId)).size).toBe(3)
    const plan = daemons.map((d) => ({ d, tasks: [randomUUID(), randomUUID()] }))
    for (const { d, tasks } of plan) for (const t of tasks) server.send(spawn(t, `for-${d.link.machineId}`), d.link.machineId)
    for (const { d, tasks } of plan) {
      for (const t of tasks) {
        const done = await server.waitFor({ type: 'taskComplete', taskId: t, success: true })
        expect(done.machineId).toBe(d.link.machineId)
        const outputs = server.ofType('taskOutput', d.link.machineId).filter((m) => m.taskId === t)
        expect(outputs).toHaveLength(5)
        expect(outputs.every((m) => (JSON.parse(m.output) as { plan: string }).plan === `for-${d.link.machineId}`)).toBe(true)
      }
      expect(d.engine.spawned.map((s) => s.taskId).sort()).toEqual([...tasks].sort())
    }
    expect(server.invalid()).toEqual([])
  })
})

describe('bounded outbox', () => {
  it('compacts old output while the server is away, says what was dropped where, and keeps every status message', async () => {
    const server = new FakeServer()
    await server.start()
    const url = server.url
    await server.kill() // the port is known but nobody listens: the daemon queues
    cleanup.push(() => server.kill())
    const h = await makeLink({ url, outboxMaxBytes: 200_000 })
    cleanup.push(() => h.close())
    h.link.start()
    const taskId = randomUUID()
    h.engine.emit({ type: 'taskStatusChange', taskId, oldStatus: 'pending', newStatus: 'initializing' })
    for (let i = 0; i < 5000; i++) h.engine.emit({ type: 'taskOutput', taskId, output: `line ${i} ${'.'.repeat(80)}`, isPartial: false })
    h.engine.emit({ type: 'taskComplete', taskId, success: true })
    expect(h.link.outbox.size().bytes).toBeLessThanOrEqual(200_000)
    await server.start()
    await server.waitFor({ type: 'taskComplete', taskId })
    const stream = server.messages.filter((r) => r.message && 'taskId' in r.message && r.message.taskId === taskId).map((r) => r.message!)
    expect(stream[0]).toMatchObject({ type: 'taskStatusChange', newStatus: 'initializing' })
    expect(stream.at(-1)).toMatchObject({ type: 'taskComplete' })
    const outputs = stream.filter((m) => m.type === 'taskOutput').map((m) => (m as { output: string }).output)
    const notices = outputs.filter((o) => o.startsWith('[makima]'))
    expect(notices.length).toBeGreaterThanOrEqual(1)
    const dropped = notices.reduce((sum, n) => sum + Number(/\] (\d+) earlier output line/.exec(n)![1]), 0)
    const kept = outputs.filter((o) => o.startsWith('line ')).map((o) => Number(o.split(' ')[1]))
    expect(dropped + kept.length).toBe(5000)
    // The kept lines are the newest ones, in order; the first notice sits before them.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 5000 - kept.length + i))
    expect(outputs.indexOf(notices[0]!)).toBeLessThan(outputs.indexOf(`line ${kept[0]} ${'.'.repeat(80)}`))
    expect(h.lines.some((l) => l.includes('oldest task output compacted'))).toBe(true)
  })
})
