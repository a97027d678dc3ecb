// The web server's door: Host, Origin and token checks for pages and for the bridge handshake.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../log/logger'
import { FailureThrottle, isLoopbackHost, readCookie, type WebAuth } from './auth'

const SIGN_IN_PAGE = `<!doctype html><meta charset="utf-8"><title>Makima — sign in</title>
<style>body{font:15px system-ui,sans-serif;background:#111318;color:#d8dde6;max-width:40em;margin:4em auto;padding:0 1em}code{background:#222733;padding:.1em .3em;border-radius:3px}</style>
<h1>This Makima needs its access token</h1>
<p>Open the link printed in the daemon's ready line (<code>web http://…/?token=…</code>).
The token is also in the file <code>web-token</code> in the daemon's data directory; add it to this
address as <code>?token=…</code>.</p>`

const VALID_HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/

export class Gate {
  private readonly throttle = new FailureThrottle()
  private cookieName = 'makima-session'

  constructor(
    private readonly auth: WebAuth,
    private readonly log: Logger,
    /** Bound to loopback: only loopback Host names are answered. */
    private readonly loopbackOnly: boolean,
  ) {}

  /** Cookies are not port-scoped: two cores on one machine each get their own name. */
  setPort(port: number): void {
    this.cookieName = `makima-session-${port}`
  }

  private hostAllowed(host: string | undefined): host is string {
    if (!host || !VALID_HOST.test(host)) return false
    return this.loopbackOnly ? isLoopbackHost(host) : true
  }

  private authorized(req: IncomingMessage): boolean {
    if (this.auth.checkSession(readCookie(req.headers.cookie, this.cookieName))) return true
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    return this.auth.checkToken(bearer)
  }

  private failed(req: IncomingMessage, what: string): void {
    const addr = req.socket.remoteAddress ?? 'unknown'
    if (this.throttle.fail(addr)) this.log.warn('web UI: refused a request without a valid token', { what, from: addr })
  }

  /** Answers the request itself and returns false unless it may be served. */
  admitPage(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.hostAllowed(req.headers.host)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('wrong host')
      return false
    }
    if (this.throttle.blocked(req.socket.remoteAddress ?? 'unknown')) {
      res.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': '60' }).end('too many failed attempts; try again in a minute')
      return false
    }
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://localhost')
    } catch {
      res.writeHead(400).end()
      return false
    }
    const offered = url.searchParams.get('token')
    if (offered !== null) {
      if (!this.auth.checkToken(offered)) return this.refusePage(req, res, 'page token')
      // Trade the token for the cookie and drop it from the address bar (and the history).
      url.searchParams.delete('token')
      res.writeHead(303, {
        Location: `${url.pathname}${url.search}`,
        'Set-Cookie': `${this.cookieName}=${this.auth.sessionValue()}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      })
      res.end()
      return false
    }
    if (!this.authorized(req)) return this.refusePage(req, res, 'page')
    return true
  }

  private refusePage(req: IncomingMessage, res: ServerResponse, what: string): false {
    this.failed(req, what)
    res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" }).end(SIGN_IN_PAGE)
    return false
  }

  /** Why the bridge handshake is refused, or null to accept it. */
  refuseBridge(req: IncomingMessage): { status: number; message: string } | null {
    const host = req.headers.host
    if (!this.hostAllowed(host)) return { status: 421, message: 'wrong host' }
    if (this.throttle.blocked(req.socket.remoteAddress ?? 'unknown')) return { status: 429, message: 'too many failed attempts' }
    // A browser always sends Origin: it must be this very host (no cross-site page may connect).
    const origin = req.headers.origin
    if (origin !== undefined && origin !== `http://${host}`) {
      this.log.warn('web bridge: refused a connection from another origin', { origin: origin.slice(0, 200), host: host.slice(0, 200) })
      return { status: 403, message: 'origin not allowed' }
    }
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token')
    if (this.authorized(req) || this.auth.checkToken(query)) return null
    this.failed(req, 'bridge')
    return { status: 401, message: 'a valid token is needed' }
  }
}
