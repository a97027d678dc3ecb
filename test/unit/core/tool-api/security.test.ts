// The tool API's door: keys, scopes, body limits — against a real server on 127.0.0.1.
import { request as httpRequest } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { ToolApi } from '../../../../src-main/core/tool-api/server'
import { makeControlHarness, newId, type ControlHarness } from '../../../integration/core/control/harness'

async function call(h: ControlHarness, method: string, path: string, key: string | null, body?: unknown) {
  const res = await fetch(`${h.api.url}${path}`, {
    method,
    headers: { ...(key !== null ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } & Record<string, unknown> }
}

/** A raw request whose body is streamed without a Content-Length (chunked), to test the running cap. */
function chunkedPost(url: string, path: string, key: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)))
    const chunk = Buffer.alloc(64 * 1024, 'a')
    let sent = 0
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      req.end()
    }
    req.write('{"name":"x","plan":"')
    pump()
  })
}

describe('tool API security', () => {
  let h: ControlHarness
  beforeEach(async () => {
    h = await makeControlHarness({ maxBodyBytes: 64 * 1024 })
  })
  afterEach(async () => {
    await h.close()
  })

  it('no key or a wrong key → 401 with a JSON error', async () => {
    const a = await h.contract()
    const none = await call(h, 'GET', `/api/v1/contracts/${a.contractId}`, null)
    expect(none.status).toBe(401)
    expect(none.json.error).toMatchObject({ code: 'unauthorized' })
    const wrong = await call(h, 'GET', `/api/v1/contracts/${a.contractId}`, 'f'.repeat(64))
    expect(wrong.status).toBe(401)
    expect(wrong.json.error!.message).toMatch(/not valid/)
    const ok = await call(h, 'GET', `/api/v1/contracts/${a.contractId}`, a.key)
    expect(ok.status).toBe(200)
    expect(ok.json).toMatchObject({ contractId: a.contractId, phase: 'plan' })
  })

  it('a revoked key (its task ended) → 401', async () => {
    const a = await h.contract()
    h.port.finish(a.supervisorId, 'interrupted')
    expect((await call(h, 'GET', `/api/v1/contracts/${a.contractId}`, a.key)).status).toBe(401)
  })

  it("a key of contract A on contract B → 403, for reads, writes and B's tasks", async () => {
    const a = await h.contract('simple', 'A')
    const b = await h.contract('simple', 'B')
    const spawnedInB = await call(h, 'POST', `/api/v1/contracts/${b.contractId}/tasks`, b.key, { name: 'B work', plan: 'do B' })
    expect(spawnedInB.status).toBe(200)
    const bTask = String(spawnedInB.json.taskId)
    for (const [method, path, body] of [
      ['GET', `/api/v1/contracts/${b.contractId}`, undefined],
      ['GET', `/api/v1/contracts/${b.contractId}/files`, undefined],
      ['POST', `/api/v1/contracts/${b.contractId}/tasks`, { name: 'x', plan: 'y' }],
      ['POST', `/api/v1/contracts/${b.contractId}/phase`, { phase: 'execute' }],
      ['POST', `/api/v1/contracts/${b.contractId}/reports`, { text: 'hi' }],
    ] as const) {
      const r = await call(h, method, path, a.key, body)
      expect(r.status, `${method} ${path}`).toBe(403)
      expect(r.json.error!.code).toBe('forbidden')
    }
    // A's supervisor cannot look at B's task through the mesh routes either.
    for (const path of [`/api/v1/mesh/tasks/${bTask}`, `/api/v1/mesh/tasks/${bTask}/diff`, `/api/v1/mesh/tasks/${bTask}/output`]) {
      expect((await call(h, 'GET', path, a.key)).status, path).toBe(403)
    }
    expect((await call(h, 'POST', `/api/v1/contracts/${a.contractId}/merges`, a.key, { taskId: bTask })).status).toBe(403)
    expect(h.plane.contracts.get(b.contractId)!.phase).toBe('plan')
  })

  it('a subtask key cannot spawn or use any supervisor command, but may use contract commands', async () => {
    const a = await h.contract()
    const spawned = await call(h, 'POST', `/api/v1/contracts/${a.contractId}/tasks`, a.key, { name: 'Sub', plan: 'work' })
    const subKey = h.port.keyOf(String(spawned.json.taskId))
    const before = h.port.spawned.length
    const r = await call(h, 'POST', `/api/v1/contracts/${a.contractId}/tasks`, subKey, { name: 'Sneaky', plan: 'spawn more' })
    expect(r.status).toBe(403)
    expect(r.json.error!.message).toMatch(/supervisor/)
    expect(h.port.spawned.length).toBe(before)
    for (const [method, path, body] of [
      ['POST', `/api/v1/contracts/${a.contractId}/phase`, { phase: 'execute' }],
      ['POST', `/api/v1/contracts/${a.contractId}/complete`, {}],
      ['POST', `/api/v1/contracts/${a.contractId}/questions`, { question: 'q' }],
      ['POST', `/api/v1/contracts/${a.contractId}/branches`, { name: 'makima/x' }],
      ['GET', `/api/v1/contracts/${a.contractId}/tasks`, undefined],
      ['GET', `/api/v1/mesh/tasks/${a.supervisorId}`, undefined],
      ['GET', '/api/v1/orchestrator/subtasks', undefined],
    ] as const) {
      expect((await call(h, method, path, subKey, body)).status, `${method} ${path}`).toBe(403)
    }
    expect((await call(h, 'POST', `/api/v1/contracts/${a.contractId}/reports`, subKey, { text: 'progress' })).status).toBe(200)
    expect((await call(h, 'GET', `/api/v1/contracts/${a.contractId}/checklist`, subKey)).status).toBe(200)
  })

  it("an orchestrator cannot touch another orchestrator's subtasks", async () => {
    const o1 = newId()
    const o2 = newId()
    await h.port.spawn({ taskId: o1, taskName: 'Orch 1', plan: 'p', isOrchestrator: true, repoUrl: h.repo })
    await h.port.spawn({ taskId: o2, taskName: 'Orch 2', plan: 'p', isOrchestrator: true, repoUrl: h.repo })
    const made = await call(h, 'POST', '/api/v1/orchestrator/subtasks', h.port.keyOf(o1), { name: 'S', plan: 'p' })
    const sub = String(made.json.taskId)
    expect((await call(h, 'GET', `/api/v1/orchestrator/subtasks/${sub}`, h.port.keyOf(o2))).status).toBe(403)
    expect((await call(h, 'POST', `/api/v1/orchestrator/subtasks/${sub}/start`, h.port.keyOf(o2), {})).status).toBe(403)
    expect((await call(h, 'GET', `/api/v1/orchestrator/subtasks/${sub}`, h.port.keyOf(o1))).status).toBe(200)
  })

  it('malformed, invalid and oversized bodies → 400, and the server keeps serving', async () => {
    const a = await h.contract()
    const path = `/api/v1/contracts/${a.contractId}/tasks`
    const bad = await call(h, 'POST', path, a.key, '{"name": "x", "plan": ')
    expect(bad.status).toBe(400)
    expect(bad.json.error!.code).toBe('malformed-json')
    const invalid = await call(h, 'POST', path, a.key, { name: '', plan: 'p', extra: 1 })
    expect(invalid.status).toBe(400)
    expect(invalid.json.error!.code).toBe('invalid-body')
    const wrongType = await call(h, 'POST', path, a.key, [1, 2, 3])
    expect(wrongType.status).toBe(400)
    // Declared too large (Content-Length).
    const big = await call(h, 'POST', path, a.key, { name: 'x', plan: 'a'.repeat(100 * 1024) })
    expect(big.status).toBe(400)
    expect(big.json.error!.code).toBe('body-too-large')
    // Streamed without a length: cut off at the cap (8 MiB offered against a 64 KiB cap).
    const streamed = await chunkedPost(h.api.url, path, a.key, 8 * 1024 * 1024)
    expect(streamed.status).toBe(400)
    expect(JSON.parse(streamed.body).error.code).toBe('body-too-large')
    expect(h.port.spawned.length).toBe(1) // only the supervisor
    const still = await call(h, 'POST', path, a.key, { name: 'Real', plan: 'work' })
    expect(still.status).toBe(200)
    expect(still.json.taskId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('unknown paths → 404 and wrong methods → 405, as JSON', async () => {
    const a = await h.contract()
    const missing = await call(h, 'GET', '/api/v1/nothing', a.key)
    expect(missing.status).toBe(404)
    expect(missing.json.error!.code).toBe('not-found')
    const method = await call(h, 'PUT', `/api/v1/contracts/${a.contractId}/tasks`, a.key, {})
    expect(method.status).toBe(405)
  })

  it('listens before it is attached and answers 503 until then', async () => {
    const api = await ToolApi.start({ log: silentLogger() })
    try {
      const r = await fetch(`${api.url}/api/v1/contracts/x`, { headers: { authorization: 'Bearer k' } })
      expect(r.status).toBe(503)
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('unavailable')
      api.attach({ plane: h.plane, tasks: h.port })
      const a = await h.contract()
      const ok = await fetch(`${api.url}/api/v1/contracts/${a.contractId}`, { headers: { authorization: `Bearer ${a.key}` } })
      expect(ok.status).toBe(200)
    } finally {
      await api.close()
    }
  })
})
