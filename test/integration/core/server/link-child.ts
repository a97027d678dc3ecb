// A daemon-like child process for the SIGKILL test: a ServerLink over a real SQLite file in
// LINK_DATA_DIR, talking to LINK_URL. Prints `state <kind>` on every state change; each stdin line
// `{"taskId":"…","from":N,"count":M}` queues output lines "line N"… and prints `produced <last>`
// once they are in the outbox (on disk).
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { openStore } from '../../../../src-main/core/store/db'
import { createServerLink } from '../../../../src-main/core/server/link'
import { ChildProcessEngine, RecordingLogin, RecordingProcess } from './helpers'
import { FAST, NO_GIT } from './link-harness'

async function main(): Promise<void> {
  const dataDir = process.env.LINK_DATA_DIR!
  const store = await openStore({ path: join(dataDir, 'daemon.db') })
  const engine = new ChildProcessEngine()
  const link = await createServerLink({
    url: process.env.LINK_URL!,
    apiKey: 'test-api-key',
    dataDir,
    db: store.db,
    maxConcurrentTasks: 2,
    heartbeatIntervalSecs: 30,
    reconnectIntervalSecs: 5,
    tasks: engine,
    git: NO_GIT,
    login: new RecordingLogin(),
    process: new RecordingProcess(),
    log: silentLogger(),
    tuning: FAST,
  })
  link.onState((s) => process.stdout.write(`state ${s.kind}\n`))
  link.start()
  createInterface({ input: process.stdin }).on('line', (line) => {
    const { taskId, from, count } = JSON.parse(line) as { taskId: string; from: number; count: number }
    for (let i = from; i < from + count; i++) engine.emit({ type: 'taskOutput', taskId, output: `line ${i}`, isPartial: false })
    process.stdout.write(`produced ${from + count - 1} pending ${link.outbox.size().count}\n`)
  })
  process.once('SIGTERM', () => {
    void link.stop().then(() => {
      store.close()
      process.exit(0)
    })
  })
}

void main()
