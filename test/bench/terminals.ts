// Terminal throughput and latency: a real shell in a real PTY, output through the TerminalHost
// alone and through the whole web bridge (WebSocket, dispatcher, events) with a client that acks
// what it receives, as the renderer does; plus what piles up when nobody acks.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { createDispatcher } from '../../src-main/core/bridge/dispatch'
import { createTerminalHandlers, forwardTerminalEvents } from '../../src-main/core/bridge/terminal-handlers'
import { CoreEvents } from '../../src-main/core/events'
import { silentLogger } from '../../src-main/core/log/logger'
import { TerminalHost } from '../../src-main/core/terminals/host'
import { WebAuth } from '../../src-main/core/web/auth'
import { startWebServer } from '../../src-main/core/web/server'

const MB = 1024 * 1024
const END = '__bench_end__'

function makeHost(root: string): TerminalHost {
  const wt = join(root, 'wt')
  const home = join(root, 'home')
  mkdirSync(wt, { recursive: true })
  mkdirSync(home, { recursive: true })
  return new TerminalHost({
    tasks: { get: () => ({ name: 'bench', worktreePath: wt }) },
    env: { PATH: process.env.PATH, HOME: home, SHELL: '/bin/bash', LANG: 'C.UTF-8' },
  })
}

const flood = (bytes: number) => `head -c ${bytes} /dev/zero | tr '\\0' y; echo; echo ${END.slice(0, 7)}''${END.slice(7)}\r`

async function direct(root: string, bytes: number) {
  const host = makeHost(root)
  const { terminalId } = await host.open('t', { cols: 200, rows: 50 })
  let received = 0
  let events = 0
  let peak = 0
  let tail = ''
  const done = new Promise<void>((resolve) =>
    host.onEvent((e) => {
      if (e.type !== 'data') return
      received += e.data.length
      events++
      const s = host.stats(terminalId)
      if (s) peak = Math.max(peak, s.unacked + s.buffered)
      host.ack(terminalId, e.data.length)
      tail = (tail + e.data).slice(-200)
      if (tail.includes(END)) resolve()
    }),
  )
  const t0 = performance.now()
  host.write(terminalId, flood(bytes))
  await done
  const ms = performance.now() - t0
  await host.dispose()
  return { bytes, ms: Math.round(ms), mbPerSec: +(received / MB / (ms / 1000)).toFixed(1), events, avgEventChars: Math.round(received / events), peakOutstandingChars: peak }
}

async function viaBridge(root: string, bytes: number) {
  const host = makeHost(root)
  const events = new CoreEvents()
  const unforward = forwardTerminalEvents(host, events)
  const dispatch = createDispatcher(createTerminalHandlers(host), silentLogger())
  const rendererDir = join(root, 'renderer')
  mkdirSync(rendererDir, { recursive: true })
  const auth = await WebAuth.load(root)
  const web = await startWebServer({ rendererDir, auth, dispatch, events, log: silentLogger() })
  const ws = new WebSocket(web.url.replace('http', 'ws') + '/bridge', { origin: web.url, headers: { Authorization: `Bearer ${auth.current}` } })
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)))
  let nextId = 1
  const replies = new Map<number, (v: unknown) => void>()
  const listeners: ((event: string, payload: { terminalId: string; data: string }) => void)[] = []
  ws.on('message', (raw) => {
    const f = JSON.parse(String(raw)) as { id?: number; result?: unknown; event?: string; payload?: { terminalId: string; data: string } }
    if (f.id !== undefined) replies.get(f.id)?.(f.result)
    else if (f.event && f.payload) for (const l of listeners) l(f.event, f.payload)
  })
  const invoke = (name: string, params: unknown) => {
    const id = nextId++
    ws.send(JSON.stringify({ id, name, params }))
    return new Promise<unknown>((r) => replies.set(id, r))
  }
  const opened = (await invoke('openTerminal', { taskId: 't', cols: 200, rows: 50 })) as { ok: true; value: { terminalId: string } }
  const terminalId = opened.value.terminalId

  // Keystroke round trip: one character written, its echo seen (the shell's line editor echoes it).
  const latencies: number[] = []
  let echo: ((data: string) => void) | null = null
  listeners.push((event, p) => event === 'terminalData' && p.terminalId === terminalId && echo?.(p.data))
  await new Promise((r) => setTimeout(r, 300)) // let the prompt settle before timing echoes
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 20)) // typing pace (50 keys/s), not back to back
    const t = performance.now()
    const seen = new Promise<void>((r) => (echo = (d) => d.includes('q') && r()))
    void invoke('writeTerminal', { terminalId, data: 'q' })
    await seen
    latencies.push(performance.now() - t)
  }
  echo = null
  await invoke('writeTerminal', { terminalId, data: '\x15' }) // Ctrl-U: clear the line

  let received = 0
  let count = 0
  let peak = 0
  let tail = ''
  const done = new Promise<void>((resolve) =>
    listeners.push((event, p) => {
      if (event !== 'terminalData' || p.terminalId !== terminalId) return
      received += p.data.length
      count++
      const s = host.stats(terminalId)
      if (s) peak = Math.max(peak, s.unacked + s.buffered)
      void invoke('ackTerminal', { terminalId, bytes: p.data.length })
      tail = (tail + p.data).slice(-200)
      if (tail.includes(END)) resolve()
    }),
  )
  const t0 = performance.now()
  await invoke('writeTerminal', { terminalId, data: flood(bytes) })
  await done
  const ms = performance.now() - t0
  ws.close()
  unforward()
  await web.close()
  await host.dispose()
  latencies.sort((a, b) => a - b)
  return {
    bytes, ms: Math.round(ms), mbPerSec: +(received / MB / (ms / 1000)).toFixed(1), events: count, peakOutstandingChars: peak,
    keystrokeEchoMs: { p50: +latencies[25]!.toFixed(2), p95: +latencies[47]!.toFixed(2) },
  }
}

async function noAcks(root: string, ms: number) {
  const host = makeHost(root)
  const { terminalId } = await host.open('t')
  let received = 0
  host.onEvent((e) => {
    if (e.type === 'data') received += e.data.length
  })
  const rss0 = process.memoryUsage().rss
  host.write(terminalId, 'yes\r')
  await new Promise((r) => setTimeout(r, ms))
  const s = host.stats(terminalId)!
  const rss1 = process.memoryUsage().rss
  const receivedChars = received
  await host.dispose()
  return { runMs: ms, receivedChars, paused: s.paused, outstandingChars: s.unacked + s.buffered, rssGrowthMB: +((rss1 - rss0) / MB).toFixed(1) }
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'makima-bench-term-'))
  try {
    return {
      direct: await direct(join(root, 'a'), 64 * MB),
      viaWebBridge: await viaBridge(join(root, 'b'), 64 * MB),
      yesWithoutAcks: await noAcks(join(root, 'c'), 2000),
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
