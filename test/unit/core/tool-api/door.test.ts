// The tool API under hostile but keyed callers, against a real server on 127.0.0.1: request
// targets and path encodings it cannot parse, prototype keys in bodies, and a task that opens
// long-polls without end. Each is answered with a JSON error; the server keeps serving.
import { connect } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { ToolApi } from '../../../../src-main/core/tool-api/server'
import { makeControlHarness, type ControlHarness } from '../../../integration/core/control/harness'

let h: ControlHarness
let api: ToolApi | null = null
beforeEach(async () => {
  h = await makeControlHarness({ maxWaitMs: 20_000 })
})
afterEach(async () => {
  await api?.close()
  api = null
  await h.close()
})

function raw(url: string, request: string): Promise<string> {
  const { port } = new URL(url)
  return new Promise((resolve) => {
    const c = connect(Number(port), '127.0.0.1')
    let out = ''
    c.on('data', (d) => (out += d.toString()))
    c.on('close', () => resolve(out))
    c.on('error', () => undefined)
    c.write(request)
  })
}
const status = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0)

describe('tool API door', () => {
  it('a request target that is not a path, or a path that is not valid percent-encoding → 400, not 500', async () => {
    const a = await h.contract()
    const hdr = `Host: 127.0.0.1\r\nAuthorization: Bearer ${a.key}\r\nConnection: close\r\n\r\n`
    expect(status(await raw(h.api.url, `GET http://[ HTTP/1.1\r\n${hdr}`))).toBe(400)
    expect(status(await raw(h.api.url, `GET * HTTP/1.1\r\n${hdr}`))).toBe(400)
    const bad = await fetch(`${h.api.url}/api/v1/mesh/tasks/%E0%A4%A`, { headers: { authorization: `Bearer ${a.key}` } })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad-request')
    const ok = await fetch(`${h.api.url}/api/v1/contracts/${a.contractId}`, { headers: { authorization: `Bearer ${a.key}` } })
    expect(ok.status).toBe(200)
  })

  it('__proto__ / constructor keys in a body are refused and pollute nothing', async () => {
    const a = await h.contract()
    for (const body of [
      '{"name":"x","plan":"y","__proto__":{"polluted":true}}',
      '{"name":"x","plan":"y","constructor":{"prototype":{"polluted":true}}}',
    ]) {
      const r = await fetch(`${h.api.url}/api/v1/contracts/${a.contractId}/tasks`, { method: 'POST', headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/json' }, body })
      expect(r.status, body).toBe(400)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(h.port.spawned.length).toBe(1) // only the supervisor
  })

  it('one task cannot hold more than its share of long-polls open; others are not affected', async () => {
    api = await ToolApi.serve({ plane: h.plane, tasks: h.port, log: silentLogger(), maxWaitMs: 20_000, maxInFlightPerTask: 3 })
    const a = await h.contract('simple', 'A')
    const b = await h.contract('simple', 'B')
    const asked = await fetch(`${api.url}/api/v1/contracts/${a.contractId}/questions`, { method: 'POST', headers: { authorization: `Bearer ${a.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ question: 'ok?' }) })
    const { questionId } = (await asked.json()) as { questionId: string }
    expect(questionId).toBeTruthy()
    const polls = [1, 2, 3].map(() => fetch(`${api!.url}/api/v1/questions/${questionId}?wait=20`, { headers: { authorization: `Bearer ${a.key}` } }))
    // Wait until the three long-polls are parked in the broker.
    const waiters = () => (h.plane.questions as unknown as { waiters: Map<string, Set<unknown>> }).waiters.get(questionId)?.size ?? 0
    const deadline = Date.now() + 10_000
    while (waiters() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    expect(waiters()).toBe(3)
    const fourth = await fetch(`${api.url}/api/v1/contracts/${a.contractId}`, { headers: { authorization: `Bearer ${a.key}` } })
    expect(fourth.status).toBe(429)
    expect(((await fourth.json()) as { error: { code: string } }).error.code).toBe('too-many-requests')
    // Another task's key is served as usual.
    expect((await fetch(`${api.url}/api/v1/contracts/${b.contractId}`, { headers: { authorization: `Bearer ${b.key}` } })).status).toBe(200)
    // Answering releases the polls, and the task may call again.
    const q = h.plane.questions.answer(questionId, 'yes')
    expect(q.ok).toBe(true)
    expect((await Promise.all(polls)).map((r) => r.status)).toEqual([200, 200, 200])
    expect((await fetch(`${api.url}/api/v1/contracts/${a.contractId}`, { headers: { authorization: `Bearer ${a.key}` } })).status).toBe(200)
  })
})
