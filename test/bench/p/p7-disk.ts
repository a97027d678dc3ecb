// P7: bytes on disk per byte of agent output. A task of the numbered-line agent runs through the
// built core; the database files (db + WAL, after a clean stop) grow by X against the same stdout
// bytes in a plain file (the baseline, written here from the raw pipe).
import { createWriteStream, statSync } from 'node:fs'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { STREAM_AGENT, streamAgentEnv, type StreamAgentOptions } from '../../fixtures/stream-agent'
import { deliveries, streamDaemonEnv } from '../lib/agents'
import { connect, startBenchDaemon, tempDir, until } from '../lib/daemon'
import { QUICK, figure, measure, round, type Measure } from '../lib/stats'

const size = (p: string) => {
  try {
    return statSync(p).size
  } catch {
    return 0
  }
}
const dbBytes = (dataDir: string) => ['daemon.db', 'daemon.db-wal', 'daemon.db-shm'].reduce((s, f) => s + size(join(dataDir, f)), 0)

/** The agent's stdout, as is, into a plain file: its size. */
async function plainFile(path: string, o: StreamAgentOptions): Promise<number> {
  const child = spawn(STREAM_AGENT, ['-p'], { env: { ...process.env, ...streamAgentEnv(o) }, stdio: ['pipe', 'pipe', 'ignore'] })
  child.on('error', () => undefined)
  child.stdin.end(JSON.stringify({ type: 'user', message: { role: 'user', content: 'go' } }) + '\n')
  const file = createWriteStream(path)
  child.stdout.pipe(file)
  await once(file, 'finish')
  return size(path)
}

async function disk(lineBytes: number, lines: number): Promise<{ perByte: number; db: number; plain: number; dbMB: number; plainMB: number; ratio: number }> {
  const dir = await tempDir('makima-bench-p7-')
  try {
    const agent = { lines, lineBytes }
    const dataDir = join(dir.path, 'data')
    // An empty store first: its size is not the output's.
    const empty = await startBenchDaemon({ dataDir, env: streamDaemonEnv(agent) })
    await empty.stopOnly()
    const before = dbBytes(dataDir)
    const d = await startBenchDaemon({ dataDir, env: streamDaemonEnv(agent) })
    const client = await connect(d)
    const got = deliveries(client)
    const { value } = await client.request<{ taskId: string }>('createTask', { name: 'p7', plan: 'stream' })
    await until(() => (got.get(value.taskId)?.lines ?? 0) >= lines, `P7: ${lines} lines stored and delivered`, 300_000)
    client.close()
    await d.stopOnly()
    const db = dbBytes(dataDir) - before
    const plain = await plainFile(join(dir.path, 'plain.jsonl'), agent)
    const output = lines * lineBytes
    return { perByte: db / output, db, plain, dbMB: round(db / 2 ** 20, 1), plainMB: round(plain / 2 ** 20, 1), ratio: db / plain }
  } finally {
    await dir.remove()
  }
}

export async function run(): Promise<Measure> {
  const mb = QUICK ? 10 : 50
  const main = await disk(400, Math.round((mb * 2 ** 20) / 400))
  const long = await disk(2000, Math.round((mb * 2 ** 20) / 2000))
  return measure(
    'bytes on disk (database + WAL after a clean stop) per byte of agent output',
    {
      lines400B: figure({ ours: main.db / 2 ** 20, baseline: main.plain / 2 ** 20, unit: 'MB', on: 'ratio', goal: { value: 1.3, kind: 'max', unit: '×' }, baselineIs: "the agent's stdout in a plain file" }),
    },
    { outputMB: mb, lines400B: { dbMB: main.dbMB, plainMB: main.plainMB, bytesPerOutputByte: round(main.perByte, 3) }, lines2000B: { dbMB: long.dbMB, plainMB: long.plainMB, bytesPerOutputByte: round(long.perByte, 3), ratioToPlainFile: round(long.ratio, 3) } },
  )
}
