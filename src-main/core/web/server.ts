// The headless UI: serves the built renderer and the bridge contract over a WebSocket on loopback,
// so a browser (or a test's Chromium) drives the same core the Electron window does.
// Trust: every route and the bridge need the data directory's token (web/auth.ts): a cookie for
// the page, a bearer token for other clients. A page must also be same-origin with the Host it
// asked for (a cross-site page cannot drive the bridge), and on loopback only loopback Host names
// are answered (a DNS-rebound page cannot reach us), on any port so SSH tunnels work.
// Nothing a client sends may take the core down: every failure is answered or dropped, never thrown.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { z } from 'zod'
import type { Result } from '../../../src-preload/contract'
import type { Dispatch, Sender } from '../bridge/dispatch'
import type { CoreEvents } from '../events'
import type { Logger } from '../log/logger'
import { isLoopbackAddress, type WebAuth } from './auth'
import { Gate } from './gate'
import { TickBatcher } from './tick-batch'

export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

const RequestFrame = z.object({ id: z.number().int().nonnegative(), name: z.string().max(128), params: z.unknown().optional() }).strict()

export interface WebLimits {
  /** Open connections (pages, sockets); more are closed on arrival so descriptors stay bounded. */
  maxConnections: number
  maxFrameBytes: number
  maxInFlight: number
  maxBufferedBytes: number
}

export const WEB_LIMITS: Readonly<WebLimits> = {
  maxConnections: 256,
  /** Large enough for the contract's largest request (mergeResolve content: 64 Mi characters),
   * so a valid request never closes the socket; only trusted pages get a socket at all. */
  maxFrameBytes: 80 * 1024 * 1024,
  /** Requests one socket may have running at once; more are answered 'unavailable' at once. */
  maxInFlight: 256,
  /** A client that stops reading is dropped once this much is queued for it (it reconnects and
   * re-reads state), instead of the core's memory growing with every event. */
  maxBufferedBytes: 64 * 1024 * 1024,
}

export interface WebServerOptions {
  rendererDir: string
  auth: WebAuth
  dispatch: Dispatch
  events: CoreEvents
  log: Logger
  host?: string
  port?: number
  limits?: Partial<WebLimits>
}

export interface WebServer {
  /** The origin, e.g. http://127.0.0.1:7421 (no token). */
  url: string
  /** The link that signs a browser in: the origin with ?token=…. */
  readonly openUrl: string
  close(): Promise<void>
}

const hostPart = (host: string) => (host.includes(':') ? `[${host}]` : host)

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const limits = { ...WEB_LIMITS, ...opts.limits }
  const root = resolve(opts.rendererDir)
  const host = opts.host ?? '127.0.0.1'
  const gate = new Gate(opts.auth, opts.log, isLoopbackAddress(host))
  const http: Server = createServer((req, res) => {
    if (!gate.admitPage(req, res)) return
    serveFile(root, req, res).catch((err: unknown) => {
      opts.log.warn('web UI: request failed', { error: err })
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy()
    })
  })
  const wss = new WebSocketServer({
    server: http,
    path: '/bridge',
    maxPayload: limits.maxFrameBytes,
    // Refused in the handshake: an unauthenticated or cross-site client never gets a socket.
    verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      const refusal = gate.refuseBridge(req)
      if (refusal) done(false, refusal.status, refusal.message)
      else done(true)
    },
  })
  // ws re-emits the http server's errors on itself: unheard, a busy port would crash the core.
  wss.on('error', () => undefined)
  await new Promise<void>((r, j) => {
    const failed = (err: Error) => {
      wss.close()
      j(err)
    }
    http.once('error', failed)
    http.listen(opts.port ?? 0, host, () => {
      http.off('error', failed)
      r()
    })
  })
  http.maxConnections = limits.maxConnections
  const { port } = http.address() as AddressInfo
  const origin = `http://${hostPart(host)}:${port}`
  gate.setPort(port)
  const clients = new Set<WebSocket>()
  const batch = new TickBatcher()

  // A client that cannot keep up is dropped rather than buffered without bound.
  const sendTo = (ws: WebSocket, text: string | Buffer): void => {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > limits.maxBufferedBytes) {
      opts.log.warn('web bridge: dropped a client that stopped reading', { buffered: ws.bufferedAmount })
      ws.terminate()
      return
    }
    // A Buffer is sent as a text frame as it is: no per-client UTF-8 encoding of a shared event.
    batch.send(ws, () => ws.send(text, { binary: false }))
  }
  const reply = (ws: WebSocket, id: number | null, result: Result<unknown>) => sendTo(ws, JSON.stringify({ id, result }))

  wss.on('connection', (ws, req) => {
    const sender: Sender = { trusted: true, label: `web ${req.headers.origin ?? ''}` }
    let inFlight = 0
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    ws.on('error', (err) => opts.log.debug('web bridge: socket error', { error: err }))
    ws.on('message', (data, isBinary) => {
      if (isBinary) return reply(ws, null, { ok: false, code: 'invalid-params', message: 'Binary frames are not understood; send JSON text frames.' })
      let raw: unknown
      try {
        raw = JSON.parse(String(data))
      } catch {
        return reply(ws, null, { ok: false, code: 'invalid-params', message: 'The frame is not valid JSON.' })
      }
      const frame = RequestFrame.safeParse(raw)
      if (!frame.success) {
        const id = (raw as { id?: unknown } | null)?.id
        return reply(ws, typeof id === 'number' ? id : null, { ok: false, code: 'invalid-params', message: 'A request frame is {"id": <integer ≥ 0>, "name": <string>, "params"?: <any>}.' })
      }
      const { id, name, params } = frame.data
      if (inFlight >= limits.maxInFlight) return reply(ws, id, { ok: false, code: 'unavailable', message: `Too many requests at once (${limits.maxInFlight}); wait for some to finish.` })
      inFlight++
      void opts
        .dispatch(name, params, sender)
        .catch((err: unknown): Result<unknown> => ({ ok: false, code: 'internal', message: `${name.slice(0, 64)} failed: ${err instanceof Error ? err.message : String(err)}` }))
        .then((result) => {
          inFlight--
          reply(ws, id, result)
        })
    })
  })

  // Each event is serialised and encoded once, whatever the number of clients — and not at all
  // when none is connected (the Electron window alone gets its events over IPC).
  const unsubscribe = opts.events.onAny((event, payload) => {
    if (clients.size === 0) return
    const frame = Buffer.from(JSON.stringify({ event, payload }))
    for (const ws of clients) sendTo(ws, frame)
  })

  return {
    url: origin,
    get openUrl() {
      return `${origin}/?token=${opts.auth.current}`
    },
    async close() {
      unsubscribe()
      batch.flush()
      for (const ws of clients) ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
      http.closeAllConnections()
      await new Promise<void>((r) => http.close(() => r()))
    },
  }
}

async function serveFile(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end()
    return
  }
  let rel: string
  try {
    // Only origin-form targets ("/path"); anything else (absolute-form, '*') is not ours to parse.
    if (!req.url?.startsWith('/')) throw new Error('bad target')
    rel = decodeURIComponent(new URL(req.url, 'http://localhost').pathname)
  } catch {
    res.writeHead(400).end()
    return
  }
  if (rel === '/' || rel === '') rel = '/index.html'
  const file = normalize(join(root, rel))
  // Keep every path inside the renderer directory.
  if (rel.includes('\0') || (file !== root && !file.startsWith(root + sep))) {
    res.writeHead(403).end()
    return
  }
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
    return
  }
  const stream = createReadStream(file)
  // The file may vanish or fail to read after stat (a rebuild): answer or cut, never throw.
  const opened = await new Promise<boolean>((done) => {
    stream.once('ready', () => done(true))
    stream.once('error', () => done(false))
  })
  if (!opened) {
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end('could not read the file')
    return
  }
  stream.on('error', (err) => res.destroy(err))
  res.writeHead(200, {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': WEB_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  })
  if (req.method === 'HEAD') {
    stream.destroy()
    res.end()
    return
  }
  stream.pipe(res)
}
