// The headless web UI's door, against a real server on 127.0.0.1: static paths stay inside the
// renderer dir, only our own Origin and loopback Hosts get a bridge socket (every request here
// carries the token; web-auth.test.ts covers the token itself), and nothing a client sends
// (raw request targets, unreadable files, oversized / malformed / binary frames, floods, a client
// that stops reading) takes the core down.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Dispatch } from '../../../../src-main/core/bridge/dispatch'
import { CoreEvents } from '../../../../src-main/core/events'
import { Logger } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'
import { WebAuth } from '../../../../src-main/core/web/auth'
import { startWebServer, WEB_CSP, type WebServer, type WebServerOptions } from '../../../../src-main/core/web/server'

let dir: string
let rendererDir: string
let web: WebServer | null = null
let logText = ''
let token = ''
const log = new Logger({ level: 'debug', redactor: new Redactor(), stderr: { write: (l) => void (logText += l) } })
const echo: Dispatch = async (name, params) => ({ ok: true, value: { name, params } })

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'makima-web-'))
  rendererDir = join(dir, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>makima</title>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET')
  logText = ''
})
afterEach(async () => {
  await web?.close()
  web = null
  rmSync(dir, { recursive: true, force: true })
})

async function start(over: Partial<WebServerOptions> = {}): Promise<WebServer> {
  const auth = await WebAuth.load(dir)
  token = auth.current
  web = await startWebServer({ rendererDir, auth, dispatch: echo, events: new CoreEvents(), log, ...over })
  return web
}

/** One raw HTTP exchange; resolves with what came back before the peer closed (or 2 s passed). */
function raw(url: string, request: string): Promise<string> {
  const { port } = new URL(url)
  return new Promise((resolve) => {
    const c = connect(Number(port), '127.0.0.1')
    let out = ''
    const timer = setTimeout(() => c.destroy(), 2_000)
    c.on('data', (d) => (out += d.toString('latin1')))
    c.on('close', () => (clearTimeout(timer), resolve(out)))
    c.on('error', () => undefined)
    c.write(request)
  })
}
const get = (url: string, target: string, host = new URL(url).host) => raw(url, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`)
const status = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0)

function socket(url: string, origin?: string): Promise<WebSocket> {
  const ws = new WebSocket(url.replace('http', 'ws') + '/bridge', { headers: { Authorization: `Bearer ${token}` }, ...(origin === undefined ? {} : { origin }) })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** Sends frames and collects replies until `count` have arrived. */
function replies(ws: WebSocket, count: number, send: () => void): Promise<{ id: number | null; result: { ok: boolean; code?: string; message?: string; value?: unknown } }[]> {
  const got: never[] = []
  return new Promise((resolve) => {
    ws.on('message', (d) => {
      const f = JSON.parse(String(d))
      if ('result' in f) got.push(f as never)
      if (got.length === count) resolve(got)
    })
    send()
  })
}

describe('static files', () => {
  it('serves the renderer with the CSP, and nothing outside it however the path is spelled', async () => {
    const w = await start()
    const index = await get(w.url, '/')
    expect(status(index)).toBe(200)
    expect(index).toContain(`Content-Security-Policy: ${WEB_CSP}`)
    expect(index).toContain('X-Content-Type-Options: nosniff')
    expect(status(await get(w.url, '/assets/app.js'))).toBe(200)
    for (const target of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2E%2E%2Fsecret.txt', '/..%5csecret.txt', '/index.html%00.js', '/%00', '//etc/passwd', '/assets%2f..%2f..%2f..%2f..%2fetc%2fpasswd']) {
      const r = await get(w.url, target)
      expect([400, 403, 404], target).toContain(status(r))
      expect(r, target).not.toContain('TOP-SECRET')
      expect(r, target).not.toContain('root:')
    }
  })

  it('answers 400 to request targets that are not a path (absolute-form, *, malformed) and keeps serving', async () => {
    const w = await start()
    for (const target of ['http://[', 'http://evil.example/index.html', '*', '%']) {
      expect([400, 404], target).toContain(status(await get(w.url, target)))
    }
    expect(status(await get(w.url, '/'))).toBe(200)
  })

  it('a file that fails to read cuts that response only; the server keeps serving', async () => {
    symlinkSync('/proc/self/mem', join(rendererDir, 'broken.js')) // stat says file; every read is EIO
    const w = await start()
    const r = await get(w.url, '/broken.js')
    expect([0, 200, 500]).toContain(status(r))
    expect(status(await get(w.url, '/'))).toBe(200)
  })

  it('refuses a request addressed to another host name (DNS rebinding) and non-GET methods', async () => {
    const w = await start()
    const port = new URL(w.url).port
    expect(status(await get(w.url, '/', `evil.example:${port}`))).toBe(421)
    expect(status(await get(w.url, '/', `evil.example`))).toBe(421)
    expect(status(await raw(w.url, `GET / HTTP/1.0\r\n\r\n`))).toBe(421)
    // Loopback names on any port: an SSH tunnel (ssh -L 8080:127.0.0.1:<port>) arrives as localhost:8080.
    expect(status(await get(w.url, '/', `localhost:${port}`))).toBe(200)
    expect(status(await get(w.url, '/', `127.0.0.1:${Number(port) + 1}`))).toBe(200)
    expect(status(await get(w.url, '/', `[::1]:8080`))).toBe(200)
    expect(status(await raw(w.url, `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`))).toBe(405)
  })
})

describe('connections', () => {
  it('past the cap, new connections are closed on arrival; the server keeps serving once they go', async () => {
    const w = await start({ limits: { maxConnections: 20 } })
    const { port } = new URL(w.url)
    const sockets = await Promise.all(
      Array.from({ length: 40 }, () => new Promise<ReturnType<typeof connect>>((r) => {
        const c = connect(Number(port), '127.0.0.1', () => r(c))
        c.on('error', () => undefined)
      })),
    )
    const closedByServer = await Promise.all(sockets.map((c) => new Promise<boolean>((r) => {
      c.once('close', () => r(true))
      c.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`)
      c.once('data', () => r(false))
    })))
    expect(closedByServer.filter(Boolean).length).toBeGreaterThanOrEqual(20)
    for (const c of sockets) c.destroy()
    await expect.poll(() => get(w.url, '/').then(status)).toBe(200)
  })
})

describe('bridge socket', () => {
  it('only our own origin gets a socket: others are refused in the handshake', async () => {
    const w = await start()
    const port = new URL(w.url).port
    for (const origin of ['null', 'http://evil.example', `http://127.0.0.1:${Number(port) + 1}`, `https://127.0.0.1:${port}`, `http://[::1]:${port}`, `http://127.0.0.1:${port}.evil.example`]) {
      await expect(socket(w.url, origin), String(origin)).rejects.toThrow(/refused 403/)
    }
    expect(logText).toContain('refused a connection from another origin')
    // Same origin as the Host the page used, including a tunnelled localhost name.
    for (const base of [w.url, `http://localhost:${port}`]) {
      const ws = await socket(base, base)
      const [r] = await replies(ws, 1, () => ws.send(JSON.stringify({ id: 1, name: 'getVersion' })))
      expect(r).toMatchObject({ id: 1, result: { ok: true, value: { name: 'getVersion' } } })
      ws.close()
    }
  })

  it('a request as large as the contract allows gets through (a 2 MB plan)', async () => {
    const w = await start()
    const ws = await socket(w.url, w.url)
    const plan = 'é'.repeat(1_000_000) // 2 MB of UTF-8: within the contract's 1,000,000 characters
    const [r] = await replies(ws, 1, () => ws.send(JSON.stringify({ id: 7, name: 'createTask', params: { name: 'big', plan } })))
    expect(r.result.ok).toBe(true)
    ws.close()
  })

  it('a frame over the cap closes that socket (1009) without taking the server down', async () => {
    const w = await start({ limits: { maxFrameBytes: 1024 } })
    const ws = await socket(w.url, w.url)
    ws.on('error', () => undefined)
    const code = new Promise<number>((r) => ws.once('close', (c) => r(c)))
    ws.send(JSON.stringify({ id: 1, name: 'createTask', params: { name: 'x', plan: 'a'.repeat(4096) } }))
    expect(await code).toBe(1009)
    const again = await socket(w.url, w.url)
    const [r] = await replies(again, 1, () => again.send(JSON.stringify({ id: 2, name: 'getVersion' })))
    expect(r.result.ok).toBe(true)
    again.close()
  })

  it('malformed, mistyped and binary frames get a clear error, not silence', async () => {
    const w = await start()
    const ws = await socket(w.url, w.url)
    const got = await replies(ws, 5, () => {
      ws.send('{not json')
      ws.send(JSON.stringify({ id: 3 }))
      ws.send(JSON.stringify({ id: -1, name: 'getVersion' }))
      ws.send(Buffer.from([1, 2, 3]), { binary: true })
      ws.send(JSON.stringify({ id: 4, name: 'getVersion', extra: true }))
    })
    expect(got.every((g) => g.result.ok === false && g.result.code === 'invalid-params')).toBe(true)
    expect(got.map((g) => g.id).sort()).toEqual([-1, 3, 4, null, null].sort())
    ws.close()
  })

  it('a dispatch that throws is answered as an internal error', async () => {
    const w = await start({ dispatch: () => Promise.reject(new Error('kaput')) })
    const ws = await socket(w.url, w.url)
    const [r] = await replies(ws, 1, () => ws.send(JSON.stringify({ id: 9, name: 'getVersion' })))
    expect(r).toMatchObject({ id: 9, result: { ok: false, code: 'internal' } })
    expect(r.result.message).toContain('kaput')
    ws.close()
  })

  it('requests in flight per socket are bounded; the excess is refused at once', async () => {
    const release: (() => void)[] = []
    const slow: Dispatch = () => new Promise((r) => release.push(() => r({ ok: true, value: null })))
    const w = await start({ dispatch: slow, limits: { maxInFlight: 3 } })
    const ws = await socket(w.url, w.url)
    const refused = await replies(ws, 2, () => {
      for (let id = 1; id <= 5; id++) ws.send(JSON.stringify({ id, name: 'getVersion' }))
    })
    expect(refused.map((r) => [r.id, r.result.code])).toEqual([[4, 'unavailable'], [5, 'unavailable']])
    expect(release.length).toBe(3)
    ws.removeAllListeners('message')
    const done = replies(ws, 3, () => release.forEach((f) => f()))
    expect((await done).every((r) => r.result.ok)).toBe(true)
    ws.close()
  })

  it('a client that stops reading is dropped instead of buffering events without bound', async () => {
    const events = new CoreEvents()
    const w = await start({ events, limits: { maxBufferedBytes: 1024 * 1024 } })
    const reader = await socket(w.url, w.url)
    const stuck = await socket(w.url, w.url)
    ;(stuck as unknown as { _socket: { pause(): void } })._socket.pause()
    let readerGot = 0
    reader.on('message', () => readerGot++)
    const chunk = 'x'.repeat(256 * 1024)
    const deadline = Date.now() + 20_000
    let sent = 0
    while (!logText.includes('dropped a client that stopped reading') && Date.now() < deadline && sent < 256) {
      events.emit('terminalData', { terminalId: 't', data: chunk, offset: sent * chunk.length })
      sent++
      if (sent % 8 === 0) await new Promise((r) => setImmediate(r))
    }
    expect(logText).toContain('dropped a client that stopped reading')
    // The healthy client still gets events.
    const before = readerGot
    events.emit('notice', { level: 'info', message: 'still here', taskId: null })
    const until = Date.now() + 10_000
    while (readerGot === before && Date.now() < until) await new Promise((r) => setTimeout(r, 10))
    expect(readerGot).toBeGreaterThan(before)
    reader.close()
    stuck.terminate()
  }, 40_000)
})
