// Composition root: builds every core service from the Config. Shared by the Electron entry and
// the headless daemon; holds no module singletons, so tests build as many cores as they like.
import pkg from '../../package.json'
import type { Config } from './config/config'
import { createDispatcher, type Dispatch } from './bridge/dispatch'
import { createGitHandlers } from './bridge/git-handlers'
import { createHandlers } from './bridge/handlers'
import { CoreEvents } from './events'
import { Logger, type LogSink } from './log/logger'
import { Redactor } from './log/redact'
import { RotatingFile } from './log/rotating-file'
import { openStore, type Store } from './store/db'
import { OutputRepository } from './store/output-repository'
import { SettingsRepository } from './store/settings-repository'
import { TaskRepository } from './store/task-repository'
import { startWebServer, type WebServer } from './web/server'

export const APP_VERSION: string = pkg.version

export interface CoreOptions {
  mode: 'electron' | 'daemon'
  electronVersion?: string | null
  /** Where readable log lines go; null for none. Defaults to process.stderr. */
  stderr?: LogSink | null
  /** The built renderer, served as the headless web UI when config.web.enabled (daemon mode). */
  rendererDir?: string | null
}

export interface Core {
  config: Config
  log: Logger
  redactor: Redactor
  store: Store
  tasks: TaskRepository
  output: OutputRepository
  settings: SettingsRepository
  events: CoreEvents
  dispatch: Dispatch
  /** The headless web UI, when it is running. */
  web: WebServer | null
  stop(): Promise<void>
}

export async function startCore(config: Config, opts: CoreOptions): Promise<Core> {
  const redactor = new Redactor()
  redactor.addSecret(config.server.apiKey)
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
  const tasks = new TaskRepository(store.db)
  const output = new OutputRepository(store.db)
  const settings = new SettingsRepository(store.db)
  const events = new CoreEvents()
  const dispatch = createDispatcher(
    {
      ...createHandlers({ appVersion: APP_VERSION, electronVersion: opts.electronVersion ?? null, schemaVersion: store.schemaVersion, mode: opts.mode, tasks, output }),
      ...createGitHandlers({ tasks }),
    },
    log.child('bridge'),
  )
  let web: WebServer | null = null
  if (opts.mode === 'daemon' && config.web.enabled && opts.rendererDir) {
    // The web UI is a convenience: a busy port is reported, not fatal.
    web = await startWebServer({ rendererDir: opts.rendererDir, dispatch, events, log: log.child('web'), port: config.web.port }).catch((err: unknown) => {
      log.warn('web UI not started', { port: config.web.port, error: err })
      return null
    })
  }
  log.info('core started', { mode: opts.mode, db: store.path, schemaVersion: store.schemaVersion, web: web?.url ?? null })

  let stopped = false
  return {
    config, log, redactor, store, tasks, output, settings, events, dispatch, web,
    async stop() {
      if (stopped) return
      stopped = true
      log.info('core stopping')
      await web?.close()
      store.close()
      await file.close()
    },
  }
}
