// Chaos: a reconnect storm of the server link. A fake Makima server drops the daemon's connection
// 30 times (sockets cut without a close frame, and every third time the whole server killed and
// restarted on its port) while 20,000 taskOutput lines are produced. PROTOCOL.md's outbox
// semantics: nothing produced is lost and everything arrives in order. Precisely, with lines
// numbered 0..N-1: every number arrives; within one connection the numbers are consecutive; a new
// connection starts at or before the next number due (it may resend the unconfirmed tail of the
// one before, never skip); so after dropping those resends the stream is exactly 0..N-1 once.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeServer } from '../fixtures/fake-server/server'
import { waitFor } from '../integration/core/server/helpers'
import { makeLink } from '../integration/core/server/link-harness'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

function linesOf(server: FakeServer, taskId: string): { session: number; n: number }[] {
  return server.messages
    .filter((r) => r.message?.type === 'taskOutput' && r.message.taskId === taskId && r.message.output.startsWith('line '))
    .map((r) => ({ session: r.session, n: Number((r.message as { output: string }).output.slice(5)) }))
}

describe('chaos: reconnect storm of the server link', () => {
  it('30 dropped connections while 20,000 lines stream: every line arrives, in order, none skipped', async () => {
    const server = new FakeServer()
    await server.start()
    cleanup.push(() => server.kill())
    const h = await makeLink({ url: server.url })
    cleanup.push(() => h.close())
    h.link.start()
    await server.waitForSession()
    const taskId = randomUUID()
    const TOTAL = 20_000
    const DROPS = 30
    let produced = 0
    const producer = (async () => {
      while (produced < TOTAL) {
        const batch = []
        for (let i = 0; i < 10 && produced < TOTAL; i++) batch.push({ type: 'taskOutput' as const, taskId, output: `line ${produced++}`, isPartial: false })
        h.engine.emit(...batch)
        await new Promise((r) => setTimeout(r, 5))
      }
    })()

    let lastId = 0
    let dropsWhileProducing = 0
    for (let drop = 0; drop < DROPS; drop++) {
      // A new connection (the one just cut may not be marked closed yet).
      await waitFor(() => (server.session()?.id ?? 0) > lastId, { timeoutMs: 20_000, what: `connection ${drop + 1}` })
      const session = server.session()!
      lastId = session.id
      // Something flowed on this connection before it is cut.
      await waitFor(() => server.messages.some((r) => r.session === session.id && r.message?.type === 'taskOutput'), { timeoutMs: 20_000, what: `lines on connection ${drop + 1}` })
      if (produced < TOTAL) dropsWhileProducing++
      if (drop % 3 === 2) await server.restart()
      else session.socket.terminate()
    }
    await producer
    await waitFor(() => linesOf(server, taskId).some((l) => l.n === TOTAL - 1), { timeoutMs: 30_000, what: 'the last line after the storm' })
    await waitFor(() => h.link.outbox.size().count === 0, { timeoutMs: 30_000, what: 'outbox drained' })

    const got = linesOf(server, taskId)
    const firsts: number[] = []
    let maxSoFar = -1
    for (let i = 0; i < got.length; i++) {
      const { session, n } = got[i]!
      if (i > 0 && got[i - 1]!.session === session) expect(n, `line after ${got[i - 1]!.n} on one connection`).toBe(got[i - 1]!.n + 1)
      else expect(n, 'a new connection never skips ahead').toBeLessThanOrEqual(maxSoFar + 1)
      if (n > maxSoFar) firsts.push(n)
      maxSoFar = Math.max(maxSoFar, n)
    }
    expect(firsts).toEqual(Array.from({ length: TOTAL }, (_, i) => i))
    expect(new Set(got.map((l) => l.session)).size).toBeGreaterThan(DROPS)
    expect(dropsWhileProducing, 'the storm hit the stream, not only its end').toBeGreaterThan(0)
    expect(server.invalid()).toEqual([])
  }, 120_000)
})
