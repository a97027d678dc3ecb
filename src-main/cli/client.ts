// HTTP client of the makima CLI: the task's tool key as a bearer token, JSON both ways. Errors
// come back as values so commands can print them on stderr and exit 1.
export interface CliEnv {
  apiUrl: string
  apiKey: string
  taskId: string | undefined
  contractId: string | undefined
}

export type ApiResult = { ok: true; status: number; value: unknown } | { ok: false; status: number | null; message: string }

export class ApiClient {
  constructor(private readonly env: CliEnv) {}

  get taskId(): string | undefined {
    return this.env.taskId
  }

  get contractId(): string | undefined {
    return this.env.contractId
  }

  async request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, timeoutMs = 60_000): Promise<ApiResult> {
    const base = this.env.apiUrl.endsWith('/') ? this.env.apiUrl : `${this.env.apiUrl}/`
    const url = new URL(path.replace(/^\//, ''), base)
    let res: Response
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.env.apiKey}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause
      return { ok: false, status: null, message: `cannot reach the Makima API at ${this.env.apiUrl}: ${cause?.code ?? cause?.message ?? (e as Error).message}` }
    }
    const text = await res.text()
    let json: unknown
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      return { ok: false, status: res.status, message: `the Makima API answered ${res.status} with a body that is not JSON` }
    }
    if (res.ok) return { ok: true, status: res.status, value: json }
    const err = (json as { error?: { message?: unknown } } | null)?.error
    const message = typeof err?.message === 'string' ? err.message : typeof err === 'string' ? err : `HTTP ${res.status}`
    return { ok: false, status: res.status, message }
  }
}

export const enc = encodeURIComponent
