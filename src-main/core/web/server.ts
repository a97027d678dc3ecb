// The headless UI: serves the built renderer and the bridge contract over a WebSocket on loopback,
// so a browser (or a test's Chromium) drives the same core the Electron window does.
// Trust: only pages served by this server (same Origin) may call the bridge.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { z } from 'zod'
import type { Dispatch } from '../bridge/dispatch'
import type { CoreEvents } from '../events'
import type { Logger } from '../log/logger'

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

const RequestFrame = z.object({ id: z.number().int().nonnegative(), name: z.string().max(128), params: z.unknown().optional() })
const MAX_FRAME_BYTES = 1024 * 1024

export interface WebServerOptions {
  rendererDir: string
  dispatch: Dispatch
  events: CoreEvents
  log: Logger
  host?: string
  port?: number
}

export interface WebServer {
  url: string
  close(): Promise<void>
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const root = resolve(opts.rendererDir)
  const http: Server = createServer((req, res) => void serveFile(root, req, res))
  const wss = new WebSocketServer({ server: http, path: '/bridge', maxPayload: MAX_FRAME_BYTES })
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((r) => http.listen(opts.port ?? 0, host, r))
  const { port } = http.address() as AddressInfo
  const origin = `http://${host}:${port}`
  const clients = new Set<WebSocket>()

  wss.on('connection', (ws, req) => {
    const peerOrigin = req.headers.origin ?? ''
    const sender = { trusted: peerOrigin === origin || peerOrigin === `http://localhost:${port}`, label: `web ${peerOrigin || '(no origin)'}` }
    if (!sender.trusted) {
      opts.log.warn('web bridge: refused a connection from another origin', { origin: peerOrigin.slice(0, 200) })
      ws.close(1008, 'origin not allowed')
      return
    }
    clients.add(ws)
    ws.on('close', () => clients.delete(ws))
    ws.on('message', (data, isBinary) => {
      if (isBinary) return
      let frame: z.infer<typeof RequestFrame>
      try {
        frame = RequestFrame.parse(JSON.parse(String(data)))
      } catch {
        opts.log.debug('web bridge: malformed frame ignored')
        return
      }
      void opts.dispatch(frame.name, frame.params, sender).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: frame.id, result }))
      })
    })
  })

  const unsubscribe = opts.events.onAny((event, payload) => {
    const text = JSON.stringify({ event, payload })
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text)
  })

  return {
    url: origin,
    async close() {
      unsubscribe()
      for (const ws of clients) ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
      await new Promise<void>((r) => http.close(() => r()))
    },
  }
}

async function serveFile(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  let rel: string
  try {
    rel = decodeURIComponent(url.pathname)
  } catch {
    res.writeHead(400).end()
    return
  }
  if (rel === '/' || rel === '') rel = '/index.html'
  const file = normalize(join(root, rel))
  // Keep every path inside the renderer directory.
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end()
    return
  }
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found')
    return
  }
  res.writeHead(200, {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': WEB_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  })
  createReadStream(file).pipe(res)
}
