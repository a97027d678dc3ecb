// Composition root: builds every core service from the Config, one service per compose/ module.
// Shared by the Electron entry and the headless daemon; holds no module singletons, so tests build
// as many cores as they like (one per data directory: the directory is locked first).
import { hostname } from 'node:os'
import type { Dispatch } from './bridge/dispatch'
import { ConfigError, type Config } from './config/config'
import { composeDispatch } from './compose/bridge'
import { composeEngine } from './compose/engine'
import { composeLogin } from './compose/login'
import { composeServerLink } from './compose/server'
import type { Base, Core, CoreOptions } from './compose/types'
import { forwardTerminalEvents } from './bridge/terminal-handlers'
import { agentCatalog } from './compose/agent-catalog'
import { taskTranscript } from './compose/transcript'
import { CoreEvents } from './events'
import { Logger } from './log/logger'
import { Redactor } from './log/redact'
import { RotatingFile } from './log/rotating-file'
import { lockDataDir, type DataDirLock } from './store/data-dir-lock'
import { openStore, type Store } from './store/db'
import { tightenPrivateFiles } from './store/private-files'
import { TOKEN_FILE_NAME } from './auth/token-store'
import { MACHINE_ID_FILE } from './server/machine-id'
import { OutputRepository } from './store/output-repository'
import { SettingsRepository } from './store/settings-repository'
import { UserSettings } from './config/user-settings'
import { TaskRepository } from './store/task-repository'
import { TerminalHost } from './terminals/host'
import { isLoopbackAddress, WEB_TOKEN_FILE, WebAuth } from './web/auth'
import { startWebServer, type WebServer } from './web/server'

export { APP_VERSION } from './version'
export type { Core, CoreOptions } from './compose/types'

export async function startCore(config: Config, opts: CoreOptions): Promise<Core> {
  // Before anything is opened or written: a second core on this directory touches nothing.
  const lock = await lockDataDir(config.dataDir, opts.mode)
  try {
    return await startLocked(config, opts, lock)
  } catch (err) {
    await lock.release()
    throw err
  }
}

async function startLocked(config: Config, opts: CoreOptions, lock: DataDirLock): Promise<Core> {
  const redactor = new Redactor()
  redactor.addSecret(config.server.apiKey)
  // Before the log and the store are opened: what an older version left readable is narrowed first.
  const privacy = await tightenPrivateFiles({ dataDir: config.dataDir, dbPath: config.localDb.path, logFile: config.log.file, dataFiles: [TOKEN_FILE_NAME, MACHINE_ID_FILE, WEB_TOKEN_FILE] })
  const file = new RotatingFile({ path: config.log.file, maxBytes: 10 * 1024 * 1024, keep: 5 })
  await file.open()
  const log = new Logger({ level: config.log.level, redactor, file, stderr: opts.stderr === undefined ? process.stderr : opts.stderr })

  let store: Store
  try {
    store = await openStore({ path: config.localDb.path })
  } catch (err) {
    await file.close()
    throw err
  }
  // Said once the store is open: a start that fails stays one line (start-failure.ts).
  if (privacy.tightened.length > 0) log.info('made files private to this user (0600, directories 0700)', { paths: privacy.tightened })
  if (privacy.failed.length > 0) log.warn('could not make these files private; other users may read them', { files: privacy.failed })
  for (const warning of config.warnings ?? []) log.warn(warning)
  // Each service puts its own disposer in front; the lock is released last, by startCore on failure.
  const disposers: Base['disposers'] = [() => store.close(), () => file.close(), () => lock.release()]
  const tasks = new TaskRepository(store.db)
  const agents = agentCatalog(config.agents)
  // Output lines reach every subscriber with their transcript events, read once with the task's agent.
  const transcript = taskTranscript(tasks, (agent) => agents.adapter(agent))
  const base: Base = {
    config, opts, redactor, log, store, disposers,
    events: new CoreEvents({ taskOutput: (p) => ({ ...p, lines: transcript(p.taskId, p.lines) }) }),
    tasks,
    agents,
    output: new OutputRepository(store.db, { maxBytesPerTask: config.output.maxBytesPerTask }),
    settings: new SettingsRepository(store.db),
    hostname: hostname(),
  }
  try {
    const core = await build(base)
    if (core.web) await lock.update({ webUrl: core.web.url })
    return core
  } catch (err) {
    for (const d of disposers.slice(0, -1)) await d()
    throw err
  }
}

/** The headless web UI, behind the data directory's token. A busy port is reported, not fatal. */
async function startWeb(b: Base, rendererDir: string, dispatch: Dispatch): Promise<WebServer | null> {
  const { config, log } = b
  const auth = await WebAuth.load(config.dataDir, config.web.tokenFile).catch((err: Error) => {
    throw new ConfigError('web.token_file', { kind: 'default' }, err.message)
  })
  b.redactor.addSecret(auth.current)
  if (!isLoopbackAddress(config.web.host)) {
    log.warn('the web UI listens beyond this machine: anyone who can reach the port and holds the token controls the agents; prefer an SSH tunnel or TLS through a reverse proxy', { host: config.web.host })
  }
  return startWebServer({ rendererDir, auth, dispatch, events: b.events, log: log.child('web'), host: config.web.host, port: config.web.port }).catch((err: unknown) => {
    // A busy port may be squatted by another user serving a look-alike page: say so plainly.
    const busy = (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
    const why = busy ? `: port ${config.web.port} on ${config.web.host} is in use by another process; the core runs without the web UI (choose another with --web-port)` : ''
    log.warn(`web UI not started${why}`, { host: config.web.host, port: config.web.port, error: err })
    return null
  })
}

async function build(b: Base): Promise<Core> {
  const { config, opts, log, store, disposers } = b
  // Interactive shells in task worktrees (the Terminal tab); killed with the core.
  const terminals = new TerminalHost({ tasks: b.tasks, log: log.child('terminals') })
  disposers.unshift(() => terminals.dispose())
  forwardTerminalEvents(terminals, b.events)

  const login = await composeLogin(b)
  const engine = await composeEngine(b, login)
  const link = await composeServerLink(b, engine.manager, login.auth)
  let web: WebServer | null = null
  const userSettings = await UserSettings.open(config, (key, value) => {
    if (key === 'process.max_concurrent_tasks') {
      engine.manager.configure({ maxConcurrentTasks: value as number })
      void engine.queue.drain() // a higher cap starts what waits
    } else if (key === 'agent.default') engine.manager.configure({ defaultAgent: value as string })
  })
  const dispatch = composeDispatch(b, { engine, auth: login.auth, keys: login.keys, link, terminals, webUrl: () => web?.url ?? null, userSettings })
  if (opts.mode === 'daemon' && config.web.enabled && opts.rendererDir) {
    web = await startWeb(b, opts.rendererDir, dispatch)
    if (web) disposers.unshift(() => web?.close())
  }

  const recovery = await engine.manager.recover()
  void engine.queue.drain() // tasks queued before a restart
  log.info('core started', { mode: opts.mode, db: store.path, schemaVersion: store.schemaVersion, web: web?.url ?? null, server: config.server.url ?? null, recovery })

  let stopped: Promise<void> | null = null
  return {
    config, log, redactor: b.redactor, store, tasks: b.tasks, output: b.output, settings: b.settings, events: b.events,
    manager: engine.manager, control: engine.control, toolApi: engine.toolApi, auth: login.auth, link, dispatch, web,
    stop() {
      stopped ??= (async () => {
        log.info('core stopping')
        for (const dispose of disposers) {
          try {
            await dispose()
          } catch (err) {
            log.error('error while stopping', { error: err })
          }
        }
      })()
      return stopped
    },
  }
}
