// Output storage (issue 13): bytes on disk per byte of agent output, and paging a huge task.
//  - 100 MB from the fake CLI's flood through AgentProcess → OutputPipeline → SQLite; the database
//    (WAL checkpointed) against the same lines appended to a plain file (physical baseline).
//  - a 1,000,000-line task in a real daemon: tail pages over the web bridge while another client
//    sends getVersion every 5 ms; getVersion alone (no load) is the baseline, and the tail of a
//    1,000-line task and a read of the same bytes from a plain file are the other references.
import { spawn } from 'node:child_process'
import { appendFileSync, openSync, readSync, closeSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import WebSocket from 'ws'
import { AgentProcess } from '../../src-main/core/agents/agent-process'
import { buildClaudeArgv } from '../../src-main/core/agents/adapters/claude'
import { OutputPipeline } from '../../src-main/core/agents/output-pipeline'
import { openStore, type Store } from '../../src-main/core/store/db'
import { OutputRepository } from '../../src-main/core/store/output-repository'
import { FAKE_CLAUDE, fakeEnv } from '../fixtures/fake-claude'

const root = resolve(__dirname, '../..')
const MB = 1024 * 1024
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!

function dbBytes(store: Store): number {
  store.db.pragma('wal_checkpoint(TRUNCATE)')
  const size = (p: string) => { try { return statSync(p).size } catch { return 0 } }
  return size(store.path) + size(`${store.path}-wal`)
}

async function bytesOnDisk(dir: string, format: 'json' | 'text', lineBytes: number): Promise<Record<string, number>> {
  const store = await openStore({ path: join(dir, `${format}.db`) })
  const plain = join(dir, `${format}.txt`)
  try {
    const pipeline = new OutputPipeline({ repo: new OutputRepository(store.db) })
    const empty = dbBytes(store)
    const env = fakeEnv('flood', { FAKE_CLAUDE_FLOOD_BYTES: String(100 * MB), FAKE_CLAUDE_FLOOD_FORMAT: format, FAKE_CLAUDE_LINE_BYTES: String(lineBytes) })
    const agent = new AgentProcess({ ...buildClaudeArgv({ command: FAKE_CLAUDE }), cwd: dir, env })
    pipeline.attach('bench', agent)
    let pending = ''
    agent.on('line', (l) => {
      pending += l.text + '\n'
      if (pending.length < MB) return
      appendFileSync(plain, pending)
      pending = ''
    })
    await agent.exited
    await pipeline.flush()
    appendFileSync(plain, pending)
    await pipeline.dispose()
    const output = pipeline.stats().persistedBytes
    const db = dbBytes(store) - empty
    const file = statSync(plain).size
    return { lineBytes, outputMB: round(output / MB, 1), databaseMB: round(db / MB, 1), plainFileMB: round(file / MB, 1), bytesPerOutputByte: round(db / output), ratioToPlainFile: round(db / file) }
  } finally {
    store.close()
  }
}

/** A task of `lines` lines (~100 bytes each), written straight into the repository. */
async function seed(path: string, tasks: Record<string, number>): Promise<void> {
  const store = await openStore({ path })
  const repo = new OutputRepository(store.db)
  for (const [taskId, lines] of Object.entries(tasks)) {
    for (let seq = 1; seq <= lines; seq += 5000) {
      const n = Math.min(5000, lines - seq + 1)
      repo.append(taskId, Array.from({ length: n }, (_, i) => ({ kind: 'assistant', data: `{"type":"assistant","seq":${seq + i}}`.padEnd(100, '.') })))
    }
  }
  store.close()
}

function client(url: string, token: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/bridge`, { headers: { Authorization: `Bearer ${token}` } })
  const waiting = new Map<number, (v: { ok: boolean; value?: unknown }) => void>()
  let next = 1
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as { id?: number; result: { ok: boolean; value?: unknown } }
    if (typeof f.id === 'number') waiting.get(f.id)?.(f.result)
  })
  const open = new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)))
  const timed = async (name: string, params?: unknown) => {
    const t0 = performance.now()
    const r = await new Promise<{ ok: boolean; value?: unknown }>((res) => {
      const id = next++
      waiting.set(id, res)
      ws.send(JSON.stringify({ id, name, params }))
    })
    if (!r.ok) throw new Error(`${name} failed: ${JSON.stringify(r)}`)
    return { ms: performance.now() - t0, value: r.value }
  }
  return { open, timed, close: () => ws.close() }
}

async function startDaemon(data: string): Promise<{ url: string; token: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main/daemon.ts'), '--data-dir', data, '--web-port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, HOME: data } })
  const link = await new Promise<string[]>((res, rej) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /web (http:\/\/\S+)\/\?token=(\S+)/.exec(out)
      if (m) res([m[1]!, m[2]!])
    })
    child.on('exit', (c) => rej(new Error(`daemon exited ${c}`)))
  })
  return { url: link[0]!, token: link[1]!, stop: async () => (child.kill('SIGTERM'), void (await new Promise((r) => child.once('exit', r)))) }
}

/** getVersion every 5 ms from another process while `load` runs here; the latencies it saw. */
async function probe(url: string, token: string, load: () => Promise<void>): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '_getversion-probe.ts'), url, token], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  const opened = new Promise<void>((r) => child.stdout.on('data', (d: Buffer) => ((out += d.toString()), out.startsWith('open\n') && r())))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  await opened
  await load()
  child.stdin.end()
  await exited
  return JSON.parse(out.slice('open\n'.length)) as number[]
}

async function hugeTask(dir: string): Promise<Record<string, unknown>> {
  const data = join(dir, 'daemon')
  await seed(join(data, 'daemon.db'), { huge: 1_000_000, small: 1_000 })
  const d = await startDaemon(data)
  const a = client(d.url, d.token)
  await a.open
  try {
    const idle = await probe(d.url, d.token, () => new Promise((r) => setTimeout(r, 1000)))
    const tails = async (taskId: string, n: number, times: number) => {
      const ms: number[] = []
      for (let i = 0; i < times; i++) ms.push((await a.timed('getTaskOutput', { taskId, tail: n })).ms)
      return ms
    }
    await tails('huge', 1000, 3) // warm the page cache, as a task that is being watched
    let huge1000: number[] = []
    let huge5000: number[] = []
    const loaded = await probe(d.url, d.token, async () => {
      huge1000 = await tails('huge', 1000, 50)
      huge5000 = await tails('huge', 5000, 50)
    })
    const small1000 = await tails('small', 1000, 20)
    const mid = await a.timed('getTaskOutput', { taskId: 'huge', afterSeq: 500_000, limit: 1000 })
    const stat = (xs: number[]) => ({ medianMs: round(pct(xs, 0.5)), maxMs: round(Math.max(...xs)) })
    return {
      tailOf1MLineTask: { tail1000: stat(huge1000), tail5000: stat(huge5000), goalMs: 50 },
      tailOf1000LineTask: { tail1000: stat(small1000) },
      pageAt500000MidTaskMs: round(mid.ms),
      getVersionWhileTailing: { ...stat(loaded), samples: loaded.length, goalMaxMs: 50 },
      getVersionIdleBaseline: { ...stat(idle), samples: idle.length },
      plainFileTailBaselineMs: round(plainTail(dir, 1_000_000, 1000)),
    }
  } finally {
    a.close()
    await d.stop()
  }
}

/** Physical baseline: the last `n` lines of a file of `lines` ~100-byte lines, read by offset. */
function plainTail(dir: string, lines: number, n: number): number {
  const path = join(dir, 'plain-1m.txt')
  const line = '.'.repeat(99) + '\n'
  for (let i = 0; i < lines; i += 100_000) appendFileSync(path, line.repeat(Math.min(100_000, lines - i)))
  const size = statSync(path).size
  const t0 = performance.now()
  const fd = openSync(path, 'r')
  const buf = Buffer.alloc(n * 100)
  readSync(fd, buf, 0, buf.length, size - buf.length)
  closeSync(fd)
  buf.toString('utf8').split('\n')
  return performance.now() - t0
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'makima-bench-output-'))
  try {
    return {
      output100MB: { jsonLines1KB: await bytesOnDisk(dir, 'json', 1000), shortTextLines40B: await bytesOnDisk(dir, 'text', 40), goalBytesPerByte: 1.3 },
      millionLineTask: await hugeTask(dir),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
