// A daemon process killed with SIGKILL while the server is away: its outbox (a real SQLite file)
// survives, and the restarted daemon delivers the backlog, in order, under the same machine id.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeServer } from '../../../fixtures/fake-server/server'
import { tempDir, waitFor } from './helpers'

const CHILD = join(__dirname, 'link-child.ts')
const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

function startDaemon(url: string, dataDir: string): { child: ChildProcess; out: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, LINK_URL: url, LINK_DATA_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const out: string[] = []
  createInterface({ input: child.stdout! }).on('line', (l) => out.push(l))
  cleanup.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child, out }
}

function lines(server: FakeServer, taskId: string): { session: number; n: number; machineId: string | null }[] {
  return server.messages
    .filter((r) => r.message?.type === 'taskOutput' && r.message.taskId === taskId)
    .map((r) => ({ session: r.session, machineId: r.machineId, n: Number((r.message as { output: string }).output.slice(5)) }))
}

describe('daemon killed with SIGKILL while disconnected', () => {
  it('delivers the backlog after a restart, in order, before new messages', async () => {
    const server = new FakeServer()
    await server.start()
    cleanup.push(() => server.kill())
    const dir = await tempDir()
    const taskId = randomUUID()

    const first = startDaemon(server.url, dir)
    await waitFor(() => first.out.includes('state connected'), { timeoutMs: 15_000, what: 'first daemon connected' })
    first.child.stdin!.write(`${JSON.stringify({ taskId, from: 0, count: 200 })}\n`)
    await waitFor(() => lines(server, taskId).length >= 200, { what: 'the first 200 lines' })

    await server.kill()
    await waitFor(() => first.out.includes('state reconnecting'), { what: 'first daemon notices' })
    first.child.stdin!.write(`${JSON.stringify({ taskId, from: 200, count: 1000 })}\n`)
    await waitFor(() => first.out.some((l) => l.startsWith('produced 1199')), { what: 'backlog queued' })
    expect(first.out.find((l) => l.startsWith('produced 1199'))).toMatch(/pending (\d+)/)
    const exited = new Promise((r) => first.child.once('exit', r))
    first.child.kill('SIGKILL')
    await exited

    await server.start()
    const second = startDaemon(server.url, dir)
    await waitFor(() => second.out.includes('state connected'), { timeoutMs: 15_000, what: 'second daemon connected' })
    second.child.stdin!.write(`${JSON.stringify({ taskId, from: 1200, count: 10 })}\n`)
    await waitFor(() => lines(server, taskId).some((l) => l.n === 1209), { timeoutMs: 15_000, what: 'backlog and new lines' })

    const got = lines(server, taskId)
    const sessions = [...new Set(got.map((l) => l.session))]
    expect(sessions).toHaveLength(2)
    expect(new Set(got.map((l) => l.machineId)).size).toBe(1) // same machine id after the restart
    const afterRestart = got.filter((l) => l.session === sessions[1]).map((l) => l.n)
    // Backlog first, in order, then the new lines; only the unconfirmed tail of the first run may repeat.
    expect(afterRestart.at(-1)).toBe(1209)
    for (let i = 1; i < afterRestart.length; i++) expect(afterRestart[i]).toBe(afterRestart[i - 1]! + 1)
    expect(afterRestart[0]).toBeLessThanOrEqual(200)
    expect(new Set(got.map((l) => l.n)).size).toBe(1210)
    expect(server.invalid()).toEqual([])
  }, 45_000)
})
