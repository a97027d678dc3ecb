// A full disk: the data directory is a real 8 MB tmpfs and the agent floods its output. The core
// must keep running, pause the flooding task saying "disk full at <path>", keep what it stored
// intact, and — restarted on the still-full disk — either start or fail naming the path. Before,
// the log's write stream had no error handler: ENOSPC was an "Unhandled 'error' event" and the core
// died with the agent still running.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { builtApp } from '../../../fixtures/built-app'
import { FAKE_CLAUDE, fakeEnv } from '../../../fixtures/fake-claude'
import { makeRepo, TempDirs } from '../../../fixtures/git/repos'
import { mountTmpfs, tmpfsOptedOut, type Tmpfs } from '../../../fixtures/tmpfs'

const root = resolve(__dirname, '../../../..')
const dirs = new TempDirs()
const cleanups: (() => void)[] = []
// The daemon runs from source but serves the built renderer (out/renderer): without it there is
// no web UI and no link to wait for. Built here so the test does not depend on the suite's order.
beforeAll(async () => {
  await builtApp()
}, 120_000)
afterAll(() => {
  for (const c of cleanups.reverse()) c()
  dirs.cleanup()
})

type Result = { ok: boolean; code?: string; message?: string; value?: unknown }

interface Daemon {
  child: ChildProcess
  exited: Promise<number | null>
  stderr(): string
  /** Resolves with the web link once ready; rejects with the exit code and stderr if it ends first. */
  ready: Promise<{ url: string; token: string }>
}

function startDaemon(data: string, home: string): Daemon {
  const env = { ...fakeEnv('flood'), FAKE_CLAUDE_FLOOD_BYTES: String(1 << 30), MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: FAKE_CLAUDE, MAKIMA_DAEMON_WEB_PORT: '0', HOME: home }
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main/daemon.ts'), '--data-dir', data], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.on('error', () => undefined)
  cleanups.push(() => child.kill('SIGKILL'))
  let out = ''
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
  const ready = new Promise<{ url: string; token: string }>((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /web (http:\/\/\S+)\/\?token=(\S+)/.exec(out)
      if (m) res({ url: m[1]!, token: m[2]! })
    })
    void exited.then((c) => rej(new Error(`daemon exited ${c}: ${err}`)))
  })
  ready.catch(() => undefined)
  return { child, exited, ready, stderr: () => err }
}

function client(url: string, token: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/bridge`, { headers: { Authorization: `Bearer ${token}` } })
  const waiting = new Map<number, (r: Result) => void>()
  let next = 1
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as { id?: number; result: Result }
    if (typeof f.id === 'number') waiting.get(f.id)?.(f.result)
  })
  // A core that died answers nothing: every call still waiting fails at once.
  ws.on('close', () => {
    for (const w of waiting.values()) w({ ok: false, code: 'closed', message: 'connection closed' })
  })
  const open = new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)))
  const call = (name: string, params?: unknown) =>
    new Promise<Result>((r) => {
      const id = next++
      waiting.set(id, r)
      ws.send(JSON.stringify({ id, name, params }))
    })
  return { open, call, close: () => ws.close() }
}

type Line = { seq: number; kind: string; data: string }

/** A step that must end: a hang fails here, naming the step and the daemon's last words. */
function within<T>(p: Promise<T>, ms: number, what: string, d?: Daemon): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what} did not happen within ${ms} ms; stderr: ${d?.stderr().slice(-1500) ?? ''}`)), ms)))
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}

/** Every stored line, paged as the renderer does. */
async function allOutput(call: ReturnType<typeof client>['call'], taskId: string): Promise<{ lines: Line[]; total: number }> {
  const lines: Line[] = []
  let total = 0
  for (;;) {
    const r = await call('getTaskOutput', { taskId, afterSeq: lines.at(-1)?.seq ?? 0, limit: 5000 })
    expect(r.ok, r.message).toBe(true)
    const v = r.value as { lines: Line[]; total: number }
    total = v.total
    if (v.lines.length === 0) return { lines, total }
    lines.push(...v.lines)
  }
}

/** Fills what is left of the filesystem; returns how many bytes went in. */
async function fill(path: string): Promise<number> {
  const f = await open(path, 'w')
  const chunk = Buffer.alloc(64 * 1024)
  let n = 0
  try {
    for (;;) n += (await f.write(chunk)).bytesWritten
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    await f.close()
  }
  return n
}

describe.skipIf(tmpfsOptedOut())('a full disk', () => {
  it('pauses the flooding task with the reason, keeps running and keeps what was stored', async () => {
    const fs: Tmpfs = mountTmpfs(8 * 1024 * 1024)
    cleanups.push(() => fs.unmount())
    const data = join(fs.dir, 'data')
    const home = await mkdtemp(join(tmpdir(), 'makima-home-'))
    const daemon = startDaemon(data, home)
    const { url, token } = await within(daemon.ready, 30_000, 'the first start', daemon)
    const c = client(url, token)
    await c.open
    const created = await c.call('createTask', { name: 'Flood', plan: 'p', repoUrl: makeRepo(dirs) })
    expect(created.ok, created.message).toBe(true)
    const taskId = (created.value as { taskId: string }).taskId

    const task = async () => (await c.call('getTask', { taskId })).value as { state: string; errorMessage: string | null }
    await expect.poll(task, { timeout: 60_000 }).toMatchObject({ state: 'paused', errorMessage: expect.stringContaining(`disk full at ${data}`) })
    expect((await c.call('getVersion')).ok).toBe(true)

    const before = await allOutput(c.call, taskId)
    expect(before.lines.length).toBeGreaterThan(100)
    // Gap-free from 1, every flood line whole.
    expect(before.lines.map((l) => l.seq)).toEqual(before.lines.map((_, i) => i + 1))
    for (const l of before.lines.filter((x) => x.kind === 'assistant')) expect(() => JSON.parse(l.data)).not.toThrow()

    // Room again, and the user resumes: the kept output is stored and the flood goes on, until
    // the larger disk fills up too and the task is paused again, still gap-free.
    fs.resize(24 * 1024 * 1024)
    expect((await c.call('resumeTask', { taskId })).ok).toBe(true)
    await expect.poll(async () => (await c.call('getTaskOutput', { taskId, tail: 1 })).value, { timeout: 60_000 }).toMatchObject({ total: expect.toSatisfy((n: number) => n > before.total + 1000) })
    await expect.poll(task, { timeout: 60_000 }).toMatchObject({ state: 'paused', errorMessage: expect.stringContaining('disk full at') })
    const resumed = await allOutput(c.call, taskId)
    expect(resumed.lines.slice(0, before.lines.length)).toEqual(before.lines)
    expect(resumed.lines.map((l) => l.seq)).toEqual(resumed.lines.map((_, i) => i + 1))
    c.close()
    daemon.child.kill('SIGTERM')
    expect(await within(daemon.exited, 20_000, 'the stop on a full disk', daemon), daemon.stderr().slice(-2000)).toBe(0)
    expect(daemon.stderr()).not.toMatch(/Unhandled 'error' event/)

    // Restart with not one byte free: it starts, or it fails naming the full filesystem's path.
    const filler = join(fs.dir, 'filler')
    await fill(filler)
    const full = startDaemon(data, home)
    const startedFull = await within(full.ready.then(() => true, () => false), 30_000, 'a start (or a refusal) on a full disk', full)
    if (!startedFull) expect(full.stderr()).toMatch(new RegExp(`disk full at ${data.replace(/[/.]/g, '\\$&')}`))
    full.child.kill('SIGTERM')
    await within(full.exited, 20_000, 'the stop of the core started on a full disk', full)

    // With room again, everything stored before is still there, byte for byte.
    fs.resize(64 * 1024 * 1024)
    const again = startDaemon(data, home)
    const link = await within(again.ready, 30_000, 'the start with room again', again)
    const c2 = client(link.url, link.token)
    await c2.open
    const after = await allOutput(c2.call, taskId)
    expect(after.lines.slice(0, resumed.lines.length)).toEqual(resumed.lines)
    c2.close()
    again.child.kill('SIGTERM')
    expect(await within(again.exited, 20_000, 'the last stop', again), again.stderr().slice(-2000)).toBe(0)
  }, 120_000)
})
