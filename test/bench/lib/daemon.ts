// The built core (`node out/main/daemon.js`) on a temp data dir, and real WebSocket clients of its
// web bridge: requests with their round-trip times, and the events it broadcasts.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { builtApp } from '../../fixtures/built-app'
import { removeTree } from '../../fixtures/remove-tree'
import { killChild } from '../../../src-main/core/agents/kill-child'

export interface BenchDaemon {
  pid: number
  dataDir: string
  url: string
  token: string
  /** ms from spawn to the ready line. */
  readyMs: number
  stderr(): string
  /** SIGTERM (agents stopped, store flushed), waits for the exit; keeps the data dir. */
  stopOnly(): Promise<void>
  /** stopOnly, then removes a data dir it made itself. */
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
  return { path, remove: () => removeTree(path) }
}

let script: string | undefined

export async function startBenchDaemon(o: DaemonOpts = {}): Promise<BenchDaemon> {
  const own = o.dataDir ? null : await tempDir('makima-bench-data-')
  const dataDir = o.dataDir ?? own!.path
  await mkdir(dataDir, { recursive: true })
  script ??= (await builtApp()).daemonScript // checked once: the fingerprint walk is not start-up
  const t0 = performance.now()
  // MAKIMA_BENCH_CPU_PROF=<dir>: the core writes a V8 CPU profile there when it stops (where the time goes).
  const prof = process.env.MAKIMA_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MAKIMA_BENCH_CPU_PROF}`] : []
  const child = spawn(process.execPath, [...prof, script, '--data-dir', dataDir, '--web-port', '0', ...(o.args ?? [])], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dataDir, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const exit = new Promise<void>((res) => {
    child.on('error', (e) => ((err += e.message), res()))
    child.on('exit', () => res())
  })
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8000)))
  const ready = await new Promise<string>((res, rej) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => / ready: /.test(l))
      if (line) res(line)
    })
    void exit.then(() => rej(new Error(`the built daemon exited before ready:\n${err}`)))
  })
  const readyMs = performance.now() - t0
  child.stdout.resume()
  const running = () => child.exitCode === null && child.signalCode === null
  const stopOnly = async () => {
    if (!running()) return
    killChild(child, 'SIGTERM')
    const killer = setTimeout(() => killChild(child, 'SIGKILL'), 30_000)
    await exit
    clearTimeout(killer)
  }
  const m = / web (http:\/\/\S+)\/\?token=(\S+)/.exec(ready)
  if (!m) {
    await stopOnly()
    throw new Error(`the built daemon serves no web UI: ${ready}`)
  }
  return {
    pid: child.pid!, dataDir, url: m[1]!, token: m[2]!, readyMs, stderr: () => err,
    stopOnly,
    stop: async () => {
      await stopOnly()
      await own?.remove()
    },
    kill9: async () => {
      if (running()) killChild(child, 'SIGKILL')
      await exit
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
