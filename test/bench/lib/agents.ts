// Running agents for the P measures: the numbered-line agent through the built core (tasks created
// over the bridge, lines counted as they reach the client), and the same agent read raw.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { STREAM_AGENT, seqOf, streamAgentEnv, type StreamAgentOptions } from '../../fixtures/stream-agent'
import type { BridgeClient } from './daemon'

export interface Delivery {
  lines: number
  firstAt: number
  lastAt: number
}

/** Counts the numbered lines each task delivers to this client. */
export function deliveries(client: BridgeClient): Map<string, Delivery> {
  const byTask = new Map<string, Delivery>()
  client.on('taskOutput', (p) => {
    const { taskId, lines } = p as { taskId: string; lines: { data: string }[] }
    const now = performance.now()
    let d = byTask.get(taskId)
    for (const l of lines) {
      if (seqOf(l.data) === null) continue
      if (!d) byTask.set(taskId, (d = { lines: 0, firstAt: now, lastAt: now }))
      d.lines++
      d.lastAt = now
    }
  })
  return byTask
}

/** The daemon environment that makes the numbered-line agent its Claude command. */
export function streamDaemonEnv(o: StreamAgentOptions): Record<string, string> {
  return { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: STREAM_AGENT, ...streamAgentEnv(o) }
}

/**
 * Physical baseline: the same agent on a plain pipe, read with readline and JSON.parse; ms from
 * its first numbered line to its last.
 */
export async function rawPipe(o: StreamAgentOptions): Promise<{ ms: number; lines: number }> {
  const child = spawn(STREAM_AGENT, ['-p', '--output-format', 'stream-json', '--input-format', 'stream-json', '--verbose'], { env: { ...process.env, ...streamAgentEnv(o) }, stdio: ['pipe', 'pipe', 'ignore'] })
  child.on('error', () => undefined)
  child.stdin.on('error', () => undefined)
  child.stdin.write(JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'text', text: 'go' }] } }) + '\n')
  let first = 0
  let last = 0
  let lines = 0
  for await (const line of createInterface({ input: child.stdout })) {
    const ev = JSON.parse(line) as { type: string; message?: { content: { text: string }[] } }
    if (ev.type === 'assistant') {
      last = performance.now()
      if (lines++ === 0) first = last
    } else if (ev.type === 'result') child.stdin.end()
  }
  await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)))
  return { ms: last - first, lines }
}

/** Creates `n` tasks one after another over the bridge; their ids and each request's round trip. */
export async function createTasks(client: BridgeClient, n: number, params: (i: number) => Record<string, unknown>): Promise<{ ids: string[]; ms: number[] }> {
  const ids: string[] = []
  const ms: number[] = []
  for (let i = 0; i < n; i++) {
    const r = await client.request<{ taskId: string }>('createTask', params(i))
    ids.push(r.value.taskId)
    ms.push(r.ms)
  }
  return { ids, ms }
}
