// The server link against the fake server over real sockets: session rules, auth failure, liveness,
// task commands end to end, a failure for every kind of refusal.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionState } from '../../../../src-main/core/server/connection'
import { FakeServer } from '../../../fixtures/fake-server/server'
import { spawn, waitFor } from './helpers'
import { makeLink, type Harness } from './link-harness'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

async function serverAndLink(opts: { keys?: string[]; apiKey?: string; autoPong?: boolean } = {}): Promise<{ server: FakeServer; h: Harness }> {
  const server = new FakeServer({ acceptedKeys: opts.keys, autoPong: opts.autoPong })
  await server.start()
  cleanup.push(() => server.kill())
  const h = await makeLink({ url: server.url, apiKey: opts.apiKey })
  cleanup.push(() => h.close())
  return { server, h }
}

describe('session', () => {
  it('connects to /ws/daemon, authenticates first with a kept machine id, then heartbeats active tasks', async () => {
    const { server, h } = await serverAndLink()
    const states: ConnectionState['kind'][] = []
    h.link.onState((s) => states.push(s.kind))
    h.link.start()
    const session = await server.waitForSession()
    expect(session.path).toBe('/ws/daemon')
    const first = server.messages.find((m) => m.session === session.id)!
    expect(first.message).toMatchObject({ type: 'authenticate', apiKey: 'test-api-key', hostname: 'test-host', maxConcurrentTasks: 4, version: '0.1.0-test' })
    const machineId = (await readFile(join(h.dir, 'machine-id'), 'utf8')).trim()
    expect(first.message).toMatchObject({ machineId })
    expect(h.link.machineId).toBe(machineId)
    await waitFor(() => h.link.state.kind === 'connected')
    expect(states).toEqual(['connecting', 'authenticating', 'connected'])

    const taskId = randomUUID()
    h.engine.tasks.set(taskId, { id: taskId, state: 'running', child: null, messages: [] })
    const beat = await server.waitFor((r) => r.message?.type === 'heartbeat' && r.message.activeTasks.includes(taskId))
    expect(beat.error).toBeNull()
    expect(server.invalid()).toEqual([])
  })

  it('reports a rejected key plainly, retries only with growing backoff, and connects once the key is accepted', async () => {
    const { server, h } = await serverAndLink({ keys: ['another-key'], apiKey: 'sk-rejected-key-123456' })
    const failures: Extract<ConnectionState, { kind: 'auth-failed' }>[] = []
    h.link.onState((s) => {
      if (s.kind === 'auth-failed') failures.push(s)
    })
    h.link.start()
    await waitFor(() => failures.length >= 4, { what: 'four auth failures' })
    expect(failures[0]!.message).toBe('Authentication failed')
    expect(failures[0]!.detail).toContain('Authentication failed')
    // Exponential: each delay is within [0.75, 1] of base·2^n, capped at 300 ms in this test.
    const delays = failures.map((f) => f.delayMs)
    expect(delays[0]).toBeGreaterThanOrEqual(30)
    expect(delays[0]).toBeLessThanOrEqual(40)
    expect(delays[1]).toBeGreaterThanOrEqual(60)
    expect(delays[2]).toBeGreaterThanOrEqual(120)
    expect(h.lines.some((l) => l.includes('Authentication failed'))).toBe(true)
    expect(h.lines.join('\n')).not.toContain('sk-rejected-key-123456')

    server.acceptedKeys.add('sk-rejected-key-123456')
    await waitFor(() => h.link.state.kind === 'connected', { timeoutMs: 5000 })
  })

  it('ends a socket whose server stops answering pings, and reconnects', async () => {
    const { server, h } = await serverAndLink({ autoPong: false })
    const reasons: string[] = []
    h.link.onState((s) => {
      if (s.kind === 'reconnecting') reasons.push(s.reason)
    })
    h.link.start()
    await server.waitForSession()
    await waitFor(() => server.sessions.filter((s) => s.authenticated).length >= 2, { timeoutMs: 8000, what: 'a second session' })
    expect(reasons.length).toBeGreaterThanOrEqual(1)
    expect(h.lines.some((l) => l.includes('stopped answering pings'))).toBe(true)
  })

  it('uses a URL with a path as given', async () => {
    const server = new FakeServer({ path: '/custom/daemon' })
    await server.start()
    cleanup.push(() => server.kill())
    const h = await makeLink({ url: `${server.url}/custom/daemon` })
    cleanup.push(() => h.close())
    h.link.start()
    const s = await server.waitForSession()
    expect(s.path).toBe('/custom/daemon')
  })
})

describe('task commands end to end', () => {
  it('spawns on a PascalCase command, streams output in order, and completes', async () => {
    const { server, h } = await serverAndLink()
    h.link.start()
    await server.waitForSession()
    const taskId = randomUUID()
    server.sendRaw(JSON.stringify(spawn(taskId, 'plan-A', 'SpawnTask')))
    await server.waitFor({ type: 'taskComplete', taskId })
    const types = server.messages.filter((r) => r.message && 'taskId' in r.message && r.message.taskId === taskId).map((r) => r.message!.type)
    expect(types).toEqual(['taskStatusChange', 'taskStatusChange', 'taskStatusChange', 'taskOutput', 'taskOutput', 'taskOutput', 'taskComplete'])
    const out = server.ofType('taskOutput').map((m) => JSON.parse(m.output) as { line: number; plan: string })
    expect(out).toEqual([0, 1, 2].map((line) => ({ type: 'assistant', plan: 'plan-A', line })))
    expect(server.ofType('taskComplete')[0]).toMatchObject({ success: true })
    expect(server.invalid()).toEqual([])
    await waitFor(() => h.link.outbox.size().count === 0, { what: 'outbox confirmed empty' })
  })

  it('answers refusals and unknown tasks as PROTOCOL.md says', async () => {
    const { server, h } = await serverAndLink()
    h.engine['opts'].maxConcurrent = 1
    h.engine['opts'].linesPerTask = 0
    h.link.start()
    await server.waitForSession()
    const busy = randomUUID()
    h.engine.tasks.set(busy, { id: busy, state: 'running', child: null, messages: [] })
    const refused = randomUUID()
    const unknown = randomUUID()
    const replies = await server.play([
      { send: spawn(refused, 'x') },
      { expect: { type: 'taskComplete', taskId: refused, success: false } },
      { send: { type: 'pauseTask', taskId: unknown } },
      { expect: { type: 'taskOutput', taskId: unknown } },
      { send: { type: 'interruptTask', taskId: unknown, graceful: true } },
      { expect: { type: 'taskOutput', taskId: unknown } },
      { send: { type: 'getTaskDiff', taskId: unknown } },
      { expect: { type: 'taskDiff', taskId: unknown, success: false } },
      { send: { type: 'createCheckpoint', taskId: unknown, message: 'cp' } },
      { expect: { type: 'checkpointCreated', taskId: unknown, success: false } },
      { raw: JSON.stringify({ type: 'spawnTask', taskId: refused, plan: 7 }) },
      { expect: { type: 'taskComplete', taskId: refused, success: false } },
    ])
    const [spawnRefusal, pauseNotice, interruptNotice, diff, checkpoint, invalid] = replies.map((r) => r.message as Record<string, unknown>)
    expect(spawnRefusal!.error).toMatch(/Concurrency limit reached/)
    expect(pauseNotice!.output).toBe(`[makima] Task ${unknown} not found (pause ignored)\n`)
    expect(interruptNotice!.output).toContain(`Task ${unknown} not found`)
    expect(diff!.error).toBe(`Task ${unknown} not found`)
    expect(checkpoint).toMatchObject({ error: `Task ${unknown} not found`, message: 'cp' })
    expect(invalid!.error).toMatch(/^Invalid spawnTask command: /)
    expect(server.invalid()).toEqual([])
  })

  it('routes AUTH_CODE messages to the pending login, never to the task, and never logs the code', async () => {
    const { server, h } = await serverAndLink()
    h.link.start()
    await server.waitForSession()
    const taskId = randomUUID()
    h.engine.tasks.set(taskId, { id: taskId, state: 'running', child: null, messages: [] })
    server.send({ type: 'sendMessage', taskId, message: 'AUTH_CODE: abc-secret-code-999' })
    server.send({ type: 'sendMessage', taskId, message: 'hello agent' })
    await waitFor(() => h.engine.tasks.get(taskId)!.messages.length === 1)
    expect(h.login.codes).toEqual(['abc-secret-code-999'])
    expect(h.engine.tasks.get(taskId)!.messages).toEqual(['hello agent'])
    h.login.pending = false
    server.send({ type: 'sendMessage', taskId, message: 'AUTH_CODE:another-code-777' })
    const n = await server.waitFor({ type: 'taskOutput', taskId })
    expect((n.message as { output: string }).output).toContain('No login is waiting for a code')
    expect(h.lines.join('\n')).not.toMatch(/abc-secret-code-999|another-code-777/)
    expect(server.messages.map((m) => m.raw).filter((r) => !r.includes('"sendMessage"')).join('\n')).not.toMatch(/abc-secret-code-999|another-code-777/)
  })

  it('restartDaemon stops the agents, closes the link and exits with 42 through the process port', async () => {
    const { server, h } = await serverAndLink()
    h.link.start()
    await server.waitForSession()
    server.send({ type: 'restartDaemon' })
    await waitFor(() => h.proc.exits.length === 1)
    expect(h.proc.exits).toEqual([42])
    expect(h.engine.stopAllCalls).toBe(1)
    expect(h.link.state.kind).toBe('stopped')
  })
})
