// The web UI needs the data directory's token, tried as an attacker with a plain client would:
// forged Origin and Host get nothing without it; the printed link signs a browser in with an
// HttpOnly cookie; an SSH-tunnelled Host works with the token; failures are throttled.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Dispatch } from '../../../../src-main/core/bridge/dispatch'
import { CoreEvents } from '../../../../src-main/core/events'
import { Logger } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'
import { FailureThrottle, WEB_TOKEN_FILE, WebAuth } from '../../../../src-main/core/web/auth'
import { startWebServer, type WebServer } from '../../../../src-main/core/web/server'

let dir: string
let web: WebServer | null = null
let auth: WebAuth
let logText = ''
let answered = 0
const log = new Logger({ level: 'debug', redactor: new Redactor(), stderr: { write: (l) => void (logText += l) } })
const dispatch: Dispatch = async (name) => (answered++, { ok: true, value: { name } })

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'makima-web-auth-'))
  mkdirSync(join(dir, 'renderer'))
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>the makima app</title>')
  logText = ''
  answered = 0
  auth = await WebAuth.load(dir)
  web = await startWebServer({ rendererDir: join(dir, 'renderer'), auth, dispatch, events: new CoreEvents(), log })
})
afterEach(async () => {
  await web?.close()
  rmSync(dir, { recursive: true, force: true })
})

function http(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(web!.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens the bridge and asks getVersion; resolves 'refused <status>' or the answer. */
function bridge(headers: Record<string, string>, url = web!.url): Promise<string> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/bridge`, { headers })
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`))
    ws.on('error', (err) => resolve(`error ${err.message}`))
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, name: 'getVersion' })))
    ws.on('message', (d) => (resolve(String(d)), ws.close()))
  })
}

describe('web UI authentication', () => {
  it('a client forging Origin and Host without the token gets no request answered; with it, it does', async () => {
    const { port } = new URL(web!.url)
    const forged = { Origin: `http://127.0.0.1:${port}`, Host: `127.0.0.1:${port}` }
    expect(await bridge(forged)).toBe('refused 401')
    expect(await bridge({ ...forged, Authorization: 'Bearer wrong-token-wrong-token-wrong-token' })).toBe('refused 401')
    expect(await bridge({ ...forged, Cookie: `makima-session-${port}=forged` })).toBe('refused 401')
    expect(answered).toBe(0)
    expect(await bridge({ ...forged, Authorization: `Bearer ${auth.current}` })).toContain('"ok":true')
    expect(await bridge({ Authorization: `Bearer ${auth.current}` })).toContain('"ok":true') // a non-browser client sends no Origin
    expect(answered).toBe(2)
  })

  it('every page needs the token: the link trades it for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const bare = await http('/')
    expect(bare.status).toBe(401)
    expect(bare.body).not.toContain('the makima app')
    expect((await http('/?token=nope')).status).toBe(401)
    const signIn = await http(`/?token=${auth.current}`)
    expect(signIn.status).toBe(303)
    expect(signIn.headers.location).toBe('/')
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!
    expect(String(signIn.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict; Path=\//)
    expect(cookie).not.toContain(auth.current) // the cookie is derived, not the token itself
    const page = await http('/', { Cookie: cookie })
    expect(page.status).toBe(200)
    expect(page.body).toContain('the makima app')
    expect(await bridge({ Cookie: cookie, Origin: web!.url })).toContain('"ok":true')
    // A cross-site page cannot use the cookie: its Origin is not this host.
    expect(await bridge({ Cookie: cookie, Origin: 'http://evil.example' })).toBe('refused 403')
  })

  it('an SSH-tunnelled Host (localhost on another port) works with the token', async () => {
    const { port } = new URL(web!.url)
    const tunnel = { Host: 'localhost:8080', Origin: 'http://localhost:8080' }
    expect(await bridge(tunnel)).toBe('refused 401')
    expect(await bridge({ ...tunnel, Authorization: `Bearer ${auth.current}` })).toContain('"ok":true')
    expect((await http(`/?token=${auth.current}`, { Host: 'localhost:8080' })).status).toBe(303)
    expect((await http('/', { Host: `evil.example:${port}`, Authorization: `Bearer ${auth.current}` })).status).toBe(421)
  })

  it('the token is a 0600 file, kept across restarts, and rotating it ends old links and cookies', async () => {
    const file = join(dir, WEB_TOKEN_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect((await WebAuth.load(dir)).current).toBe(auth.current)
    const cookie = String((await http(`/?token=${auth.current}`)).headers['set-cookie']).split(';')[0]!
    const old = auth.current
    await auth.rotate()
    expect(auth.current).not.toBe(old)
    expect((await http('/', { Cookie: cookie })).status).toBe(401)
    expect((await http(`/?token=${old}`)).status).toBe(401)
    expect((await http(`/?token=${auth.current}`)).status).toBe(303)
  })

  it('failed attempts are logged once per window and throttled past the limit', async () => {
    for (let i = 0; i < 20; i++) await http('/?token=guess')
    const blocked = await http(`/?token=${auth.current}`)
    expect(blocked.status).toBe(429)
    expect(await bridge({ Authorization: `Bearer ${auth.current}` })).toBe('refused 429')
    expect(logText.match(/refused a request without a valid token/g)).toHaveLength(2) // the first and the limit
    expect(logText).not.toContain(auth.current)
  })

  it('the throttle window ends', () => {
    let t = 0
    const th = new FailureThrottle(2, 1000, () => t)
    th.fail('a')
    th.fail('a')
    expect(th.blocked('a')).toBe(true)
    expect(th.blocked('b')).toBe(false)
    t = 1000
    expect(th.blocked('a')).toBe(false)
  })
})
