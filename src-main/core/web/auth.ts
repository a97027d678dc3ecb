// Who may use the web UI: whoever holds the data directory's access token, as Jupyter and
// code-server do it. The token sits in a 0600 file; the page trades it once (?token=…) for an
// HttpOnly, SameSite=Strict cookie derived from it, so it leaves the address bar and history.
// Non-browser clients send it as `Authorization: Bearer <token>`. Every comparison is constant-time,
// and failed attempts are throttled per client address.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export const WEB_TOKEN_FILE = 'web-token'
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,256}$/

export class WebTokenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WebTokenError'
  }
}

/** Equal-length digests first, so neither content nor length leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  const key = 'makima-compare'
  return timingSafeEqual(createHmac('sha256', key).update(a).digest(), createHmac('sha256', key).update(b).digest())
}

export class WebAuth {
  private constructor(
    private token: string,
    readonly file: string,
    private readonly fixed: boolean,
  ) {}

  /**
   * The data directory's token (created on first use), or a fixed one from `web.token_file`
   * for setups that must know it in advance.
   */
  static async load(dataDir: string, tokenFile?: string | null): Promise<WebAuth> {
    if (tokenFile) {
      const text = await readFile(tokenFile, 'utf8').catch((err: Error) => {
        throw new WebTokenError(`web.token_file ${tokenFile} cannot be read: ${err.message}`)
      })
      const token = text.trim()
      if (!TOKEN_SHAPE.test(token)) throw new WebTokenError(`web.token_file ${tokenFile} must hold 32 to 256 characters of A-Z, a-z, 0-9, "-" or "_"`)
      return new WebAuth(token, tokenFile, true)
    }
    const file = join(dataDir, WEB_TOKEN_FILE)
    const existing = (await readFile(file, 'utf8').catch(() => '')).trim()
    if (TOKEN_SHAPE.test(existing)) {
      await chmod(file, 0o600)
      return new WebAuth(existing, file, false)
    }
    const auth = new WebAuth('', file, false)
    await auth.rotate()
    return auth
  }

  get current(): string {
    return this.token
  }

  /** A new token: earlier links and cookies stop working. */
  async rotate(): Promise<string> {
    if (this.fixed) throw new WebTokenError(`the web token comes from ${this.file} (web.token_file); change it there`)
    const token = randomBytes(32).toString('base64url')
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, `${token}\n`, { mode: 0o600 })
    await rename(tmp, this.file)
    this.token = token
    return token
  }

  checkToken(candidate: string | null | undefined): boolean {
    return typeof candidate === 'string' && candidate.length > 0 && candidate.length <= 512 && sameSecret(candidate, this.token)
  }

  /** The cookie's value: derived from the token, so rotating the token ends every session. */
  sessionValue(): string {
    return createHmac('sha256', this.token).update('makima-web-session').digest('base64url')
  }

  checkSession(candidate: string | null | undefined): boolean {
    return typeof candidate === 'string' && candidate.length > 0 && candidate.length <= 512 && sameSecret(candidate, this.sessionValue())
  }
}

/** Counts failed attempts per client address in a fixed window; past the limit, refuse unheard. */
export class FailureThrottle {
  private readonly windows = new Map<string, { start: number; failures: number }>()

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private window(addr: string) {
    const t = this.now()
    let w = this.windows.get(addr)
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, failures: 0 }
      this.windows.set(addr, w)
      // Bounded: old windows are dropped whenever the map grows.
      if (this.windows.size > 10_000) for (const [k, v] of this.windows) if (t - v.start >= this.windowMs) this.windows.delete(k)
    }
    return w
  }

  blocked(addr: string): boolean {
    return this.window(addr).failures >= this.limit
  }

  /** Records a failure; true when it should be logged (the first of a window, and reaching the limit). */
  fail(addr: string): boolean {
    const w = this.window(addr)
    w.failures++
    return w.failures === 1 || w.failures === this.limit
  }
}

/** The cookie header's value for `name`, if any. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}

/** Loopback names a browser or an SSH tunnel may use to reach us, on any port. */
export function isLoopbackHost(hostHeader: string): boolean {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostHeader)
  if (!m) return false
  const name = m[1]!.toLowerCase()
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
}

export function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host)
}
