// The tool API: loopback HTTP for the in-task `makima` CLI. Every request carries a task's tool
// key as a bearer token; the key decides who is calling, and each route's role decides what that
// task may do (its own contract only; supervisor commands only for the supervisor). Bodies are
// size-limited JSON validated with zod. Failures are JSON `{ error: { code, message } }` with
// 400 / 401 / 403 / 404 / 409 — a bad request never takes the server down.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Logger } from '../log/logger'
import type { Caller, ControlPlane } from '../control/plane'
import type { TaskPort } from '../control/ports'
import { KeyRing } from './keys'
import { authorize, ROUTES, type Route } from './routes'

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
export const DEFAULT_MAX_WAIT_MS = 25_000
/** Requests one task's key may have open at once (long-polls included): an agent looping on
 * `wait` cannot use up the daemon's sockets and file descriptors. */
export const DEFAULT_MAX_IN_FLIGHT_PER_TASK = 32
/** Open connections overall, keyed or not; beyond it new connections are dropped by Node. */
export const DEFAULT_MAX_CONNECTIONS = 512

export interface ToolApiOptions {
  log: Logger
  /** 0 (default) picks a free port. */
  port?: number
  maxBodyBytes?: number
  /** The longest a long-poll (wait, question) holds one request; clients poll again. */
  maxWaitMs?: number
  maxInFlightPerTask?: number
  maxConnections?: number
}

class BodyError extends Error {
  constructor(readonly code: 'body-too-large' | 'malformed-json', message: string) {
    super(message)
  }
}

function send(res: ServerResponse, status: number, value: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return
  const body = JSON.stringify(value)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...(close ? { connection: 'close' } : {}) })
  res.end(body)
}

const sendError = (res: ServerResponse, status: number, code: string, message: string, close = false) => send(res, status, { error: { code, message } }, close)

function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN)
    if (declared > max) return reject(new BodyError('body-too-large', `The request body is larger than ${max} bytes`))
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        req.removeAllListeners('data')
        req.pause()
        reject(new BodyError('body-too-large', `The request body is larger than ${max} bytes`))
      } else chunks.push(c)
    })
    req.on('end', () => {
      if (size > max) return
      const text = Buffer.concat(chunks).toString('utf8')
      if (text.trim() === '') return resolve({})
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(new BodyError('malformed-json', 'The request body is not valid JSON'))
      }
    })
    req.on('error', reject)
  })
}

export interface ToolApiServices {
  plane: ControlPlane
  /** Tool keys come from its registerToolKey / revokeToolKey events. */
  tasks: Pick<TaskPort, 'onEvent'>
}

/** Listens first (the task manager needs the URL), serves once attach() has given it the plane. */
export class ToolApi {
  readonly keys = new KeyRing()
  private readonly sockets = new Set<Socket>()
  private readonly requests = new Set<AbortController>()
  private readonly inFlight = new Map<string, number>()
  private services: ToolApiServices | null = null
  private unsubscribe: () => void = () => {}

  private constructor(
    private readonly opts: ToolApiOptions,
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts answering requests; call before any task is spawned so no key event is missed. */
  attach(services: ToolApiServices): this {
    this.unsubscribe()
    this.services = services
    this.unsubscribe = services.tasks.onEvent((e) => this.keys.onTaskEvent(e))
    return this
  }

  /** Listen and attach in one step (tests, and callers that already have the plane). */
  static async serve(opts: ToolApiOptions & ToolApiServices): Promise<ToolApi> {
    return (await ToolApi.start(opts)).attach(opts)
  }

  static async start(opts: ToolApiOptions): Promise<ToolApi> {
    const server = createServer()
    server.requestTimeout = 60_000
    server.headersTimeout = 30_000
    server.maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    const port = (server.address() as AddressInfo).port
    const api = new ToolApi(opts, server, `http://127.0.0.1:${port}`)
    server.on('connection', (s: Socket) => {
      api.sockets.add(s)
      s.on('close', () => api.sockets.delete(s))
    })
    server.on('request', (req, res) => void api.handle(req, res))
    return api
  }

  async close(): Promise<void> {
    this.unsubscribe()
    for (const r of this.requests) r.abort()
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      for (const s of this.sockets) s.destroy()
    })
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const abort = new AbortController()
    this.requests.add(abort)
    res.on('close', () => {
      abort.abort()
      this.requests.delete(abort)
    })
    try {
      await this.route(req, res, abort.signal)
    } catch (e) {
      this.opts.log.error('tool API request failed', { method: req.method, path: (req.url ?? '').split('?')[0], error: e instanceof Error ? e.message : String(e) })
      sendError(res, 500, 'internal', 'The request failed inside Makima; see the daemon log')
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const plane = this.services?.plane
    if (!plane) {
      req.resume()
      return sendError(res, 503, 'unavailable', 'Makima is still starting; try again in a moment')
    }
    const url = parseTarget(req.url)
    if (!url) {
      req.resume()
      return sendError(res, 400, 'bad-request', 'The request target must be a path such as /api/v1/…')
    }
    const auth = req.headers.authorization ?? ''
    const key = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1]
    const taskId = key ? this.keys.taskFor(key) : undefined
    const task = taskId ? plane.task(taskId) : undefined
    if (!taskId || !task) {
      req.resume()
      return sendError(res, 401, 'unauthorized', key ? 'The tool key is not valid (unknown, revoked, or its task is gone)' : 'A tool key is required: Authorization: Bearer <MAKIMA_API_KEY>')
    }
    let match: { route: Route; params: Record<string, string> } | undefined
    let pathKnown = false
    for (const route of ROUTES) {
      const m = route.pattern.exec(url.pathname)
      if (!m) continue
      pathKnown = true
      if (route.method === req.method) {
        const params = decodeParams(m.groups ?? {})
        if (!params) {
          req.resume()
          return sendError(res, 400, 'bad-request', `The path ${url.pathname.slice(0, 200)} is not validly percent-encoded`)
        }
        match = { route, params }
        break
      }
    }
    if (!match) {
      req.resume()
      return pathKnown ? sendError(res, 405, 'method-not-allowed', `${req.method} is not allowed on ${url.pathname}`) : sendError(res, 404, 'not-found', `No such endpoint: ${url.pathname}`)
    }
    const open = this.inFlight.get(taskId) ?? 0
    const limit = this.opts.maxInFlightPerTask ?? DEFAULT_MAX_IN_FLIGHT_PER_TASK
    if (open >= limit) {
      req.resume()
      return sendError(res, 429, 'too-many-requests', `This task already has ${limit} requests open; wait for one to finish`)
    }
    this.inFlight.set(taskId, open + 1)
    try {
      await this.serveRoute(req, res, signal, plane, url, { taskId, task }, match)
    } finally {
      const left = (this.inFlight.get(taskId) ?? 1) - 1
      if (left > 0) this.inFlight.set(taskId, left)
      else this.inFlight.delete(taskId)
    }
  }

  private async serveRoute(
    req: IncomingMessage, res: ServerResponse, signal: AbortSignal, plane: ControlPlane, url: URL, caller: Caller,
    match: { route: Route; params: Record<string, string> },
  ): Promise<void> {
    const allowed = authorize(plane, caller, match.route.role, match.params)
    if (!allowed.ok) {
      req.resume()
      return sendError(res, allowed.status, allowed.code, allowed.message)
    }
    let body: unknown = undefined
    if (req.method !== 'GET') {
      try {
        const raw = await readJson(req, this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
        const parsed = (match.route.body ?? null)?.safeParse(raw)
        if (parsed && !parsed.success) {
          const issue = parsed.error.issues[0]
          const where = issue?.path.length ? issue.path.join('.') : 'body'
          return sendError(res, 400, 'invalid-body', `Invalid request body at ${where}: ${issue?.message ?? 'invalid'}`)
        }
        body = parsed ? parsed.data : raw
      } catch (e) {
        if (e instanceof BodyError) {
          // The rest of an oversized body is not worth reading: answer, then drop the connection.
          send(res, 400, { error: { code: e.code, message: e.message } }, e.code === 'body-too-large')
          if (e.code === 'body-too-large') res.on('finish', () => req.destroy())
          return
        }
        throw e
      }
    } else req.resume()
    const out = await match.route.handle({
      plane, caller, params: match.params, query: url.searchParams, body, signal,
      maxWaitMs: this.opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    })
    if (out.ok) send(res, 200, out.value)
    else sendError(res, out.status, out.code, out.message)
  }
}

/** The request target as a URL, or null when it is not an origin-form path. */
function parseTarget(target: string | undefined): URL | null {
  if (!target?.startsWith('/')) return null
  try {
    return new URL(target, 'http://127.0.0.1')
  } catch {
    return null
  }
}

/** Route parameters, percent-decoded; null when one is not valid percent-encoding. */
function decodeParams(groups: Record<string, string>): Record<string, string> | null {
  try {
    return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]))
  } catch {
    return null
  }
}
