// The built core (`node out/main/daemon.js`) on a temp data dir, and real WebSocket clients of its
// web bridge: requests with their round-trip times, and the events it broadcasts.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { startDaemon, type DaemonRun } from '../../fixtures/built-daemon'

export interface BenchDaemon {
  run: DaemonRun
  pid: number
  dataDir: string
  url: string
  token: string
  /** ms from spawn to the ready line. */
  readyMs: number
  stop(): Promise<void>
  /** kill -9, waits for the exit. */
  kill9(): Promise<void>
}

export interface DaemonOpts {
  dataDir?: string
  env?: Record<string, string>
  args?: string[]
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

export async function startBenchDaemon(o: DaemonOpts = {}): Promise<BenchDaemon> {
  const own = o.dataDir ? null : await tempDir('makima-bench-data-')
  const dataDir = o.dataDir ?? own!.path
  await mkdir(dataDir, { recursive: true })
  const t0 = performance.now()
  const run = await startDaemon({ kind: 'built', args: ['--data-dir', dataDir, '--web-port', '0', ...(o.args ?? [])], cwd: dataDir, env: { HOME: dataDir, ...o.env } })
  const ready = await run.waitForLine(/ ready: /)
  const readyMs = performance.now() - t0
  const m = / web (http:\/\/\S+)\/\?token=(\S+)/.exec(ready)
  if (!m) {
    await run.stop()
    throw new Error(`the built daemon serves no web UI: ${ready}`)
  }
  return {
    run, pid: run.child.pid!, dataDir, url: m[1]!, token: m[2]!, readyMs,
    stop: async () => {
      await run.stop()
      await own?.remove()
    },
    kill9: async () => {
      run.child.kill('SIGKILL')
      await run.exit
    },
  }
}

type Reply = { ok: true; value: unknown } | { ok: false; code: string; message: string }

export interface BridgeClient {
  ws: WebSocket
  /** Sends a request; resolves with its value and round-trip ms, throws on an error answer. */
  request<T = unknown>(name: string, params?: unknown): Promise<{ value: T; ms: number }>
  on(event: string, fn: (payload: unknown) => void): void
  close(): void
}

export async function connect(d: { url: string; token: string }): Promise<BridgeClient> {
  const ws = new WebSocket(`${d.url.replace('http', 'ws')}/bridge`, { headers: { Authorization: `Bearer ${d.token}` }, maxPayload: 256 * 1024 * 1024 })
  const waiting = new Map<number, (r: Reply) => void>()
  const listeners = new Map<string, ((p: unknown) => void)[]>()
  let next = 1
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as { id?: number; result?: Reply; event?: string; payload?: unknown }
    if (typeof f.id === 'number' && f.result) {
      waiting.get(f.id)?.(f.result)
      waiting.delete(f.id)
    } else if (f.event) for (const fn of listeners.get(f.event) ?? []) fn(f.payload)
  })
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res())
    ws.once('error', rej)
  })
  ws.on('error', () => undefined)
  return {
    ws,
    async request<T>(name: string, params?: unknown) {
      const t0 = performance.now()
      const r = await new Promise<Reply>((res, rej) => {
        const id = next++
        waiting.set(id, res)
        ws.send(JSON.stringify({ id, name, params }), (err) => err && rej(err))
      })
      if (!r.ok) throw new Error(`${name}: ${r.code} ${r.message}`)
      return { value: r.value as T, ms: performance.now() - t0 }
    },
    on(event, fn) {
      listeners.set(event, [...(listeners.get(event) ?? []), fn])
    },
    close: () => ws.close(),
  }
}

/** Resolves when `check` returns a value; rejects after `timeoutMs`, naming `what`. */
export async function until<T>(check: () => T | null | undefined | false, what: string, timeoutMs = 60_000, everyMs = 10): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const v = check()
    if (v) return v
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
