// Probe (not part of `npm run bench`): agent stdout → line reader → classify/parse → redaction →
// SQLite (the real store) → batch → core event → one web bridge client, for 400-byte stream-json
// lines printed by a child process as fast as it can. Prints one JSON line with lines/s (until the
// client has received every line). `npx tsx test/bench/probes/output-path.ts [lines]`
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { AgentProcess } from '../../../src-main/core/agents/agent-process'
import { CoreEvents } from '../../../src-main/core/events'
import { silentLogger } from '../../../src-main/core/log/logger'
import { Redactor } from '../../../src-main/core/log/redact'
import { openStore } from '../../../src-main/core/store/db'
import { OutputRepository } from '../../../src-main/core/store/output-repository'
import { OutputLog } from '../../../src-main/core/tasks/output-log'
import { WebAuth } from '../../../src-main/core/web/auth'
import { startWebServer } from '../../../src-main/core/web/server'

const N = Number(process.argv[2] ?? 200_000)

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'probe-output-'))
  try {
    const script = join(dir, 'agent.js')
    writeFileSync(script, `
const out = []
for (let i = 0; i < ${N}; i++) {
  const base = JSON.stringify({ type: 'assistant', message: { id: 'msg_' + i, content: [{ type: 'text', text: '' }] } })
  out.push(JSON.stringify({ type: 'assistant', message: { id: 'msg_' + i, content: [{ type: 'text', text: 'x'.repeat(400 - base.length) }] } }))
}
let i = 0
function write() {
  while (i < out.length) {
    const chunk = out.slice(i, i + 200).join('\\n') + '\\n'
    i += 200
    if (!process.stdout.write(chunk)) return process.stdout.once('drain', write)
  }
}
write()
`)
    const store = await openStore({ path: join(dir, 'db.sqlite') })
    const redactor = new Redactor()
    for (let k = 0; k < 100; k++) redactor.addSecret(`tool-key-${k}-${'a'.repeat(40)}`)
    const log = new OutputLog({ repo: new OutputRepository(store.db), redactor })
    const events = new CoreEvents()
    log.onBatch((taskId, lines) => events.emit('taskOutput', { taskId, lines } as never))
    mkdirSync(join(dir, 'renderer'))
    writeFileSync(join(dir, 'renderer', 'index.html'), '')
    const auth = await WebAuth.load(dir)
    const web = await startWebServer({ rendererDir: join(dir, 'renderer'), auth, dispatch: async () => ({ ok: true, value: null }), events, log: silentLogger() })
    const ws = new WebSocket(`${web.url.replace('http', 'ws')}/bridge`, { headers: { Authorization: `Bearer ${auth.current}` } })
    await new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)))
    let received = 0
    const all = new Promise<void>((resolve) => {
      ws.on('message', (d) => {
        const f = JSON.parse(String(d)) as { event: string; payload: { lines: unknown[] } }
        if (f.event === 'taskOutput') received += f.payload.lines.length
        if (received >= N) resolve()
      })
    })
    const t0 = process.hrtime.bigint()
    const proc = new AgentProcess({ command: process.execPath, args: [script], cwd: dir, env: { PATH: process.env.PATH ?? '' }, input: { kind: 'argv' } })
    let seen = 0
    proc.on('line', () => void seen++)
    log.attach('task-1', proc)
    await proc.exited
    await all
    const s = Number(process.hrtime.bigint() - t0) / 1e9
    console.log(JSON.stringify({ probe: 'output-path', lines: N, seen, delivered: received, seconds: +s.toFixed(2), linesPerSec: Math.round(N / s) }))
    ws.close()
    await web.close()
    await log.dispose()
    store.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
void main()
