// Builds a ServerLink for tests: fast timers, a temp data dir and SQLite file, test ports.
import type { Logger } from '../../../../src-main/core/log/logger'
import type { Store } from '../../../../src-main/core/store/db'
import { createServerLink, type ServerLink } from '../../../../src-main/core/server/link'
import type { GitPort } from '../../../../src-main/core/server/ports'
import { capturingLogger, ChildProcessEngine, RecordingLogin, RecordingProcess, tempDir, tempStore } from './helpers'

export const FAST = {
  heartbeatIntervalMs: 150,
  reconnectIntervalMs: 40,
  maxReconnectDelayMs: 300,
  pingIntervalMs: 100,
  pongTimeoutMs: 600,
  authTimeoutMs: 2000,
}

/** A GitPort for tests that do not exercise git: every call fails loudly. */
export const NO_GIT: GitPort = new Proxy({} as GitPort, {
  get: (_t, name) => () => Promise.reject(new Error(`git ${String(name)} not available in this test`)),
})

export interface Harness {
  link: ServerLink
  engine: ChildProcessEngine
  login: RecordingLogin
  proc: RecordingProcess
  store: Store
  dir: string
  log: Logger
  lines: string[]
  close(): Promise<void>
}

export async function makeLink(opts: {
  url: string
  apiKey?: string
  dir?: string
  engine?: ChildProcessEngine
  git?: GitPort
  outboxMaxBytes?: number
  tuning?: Partial<typeof FAST> & { random?: () => number }
}): Promise<Harness> {
  const dir = opts.dir ?? (await tempDir())
  const store = await tempStore(dir)
  const { log, lines } = capturingLogger()
  const engine = opts.engine ?? new ChildProcessEngine()
  const login = new RecordingLogin()
  const proc = new RecordingProcess()
  const link = await createServerLink({
    url: opts.url,
    apiKey: opts.apiKey ?? 'test-api-key',
    dataDir: dir,
    db: store.db,
    maxConcurrentTasks: 4,
    version: '0.1.0-test',
    hostname: 'test-host',
    heartbeatIntervalSecs: 30,
    reconnectIntervalSecs: 5,
    tasks: engine,
    git: opts.git ?? NO_GIT,
    login,
    process: proc,
    log,
    outboxMaxBytes: opts.outboxMaxBytes,
    tuning: { ...FAST, ...opts.tuning },
  })
  return {
    link, engine, login, proc, store, dir, log, lines,
    async close() {
      await link.stop()
      await engine.stopAll(0)
      store.close()
    },
  }
}
