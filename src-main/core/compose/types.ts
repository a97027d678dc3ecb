// The core's public shape and what each composition step shares (see start.ts).
import type { AgentCatalog } from './agent-catalog'
import type { AuthService } from '../auth/auth-service'
import type { TokenStore } from '../auth/token-store'
import type { Dispatch, PartialHandlers } from '../bridge/dispatch'
import type { Config } from '../config/config'
import type { ControlPlane } from '../control'
import type { CoreEvents } from '../events'
import type { Logger, LogSink } from '../log/logger'
import type { Redactor } from '../log/redact'
import type { ServerLink } from '../server/link'
import type { Store } from '../store/db'
import type { OutputRepository } from '../store/output-repository'
import type { SettingsRepository } from '../store/settings-repository'
import type { TaskRepository } from '../store/task-repository'
import type { TaskManager } from '../tasks/manager'
import type { ToolApi } from '../tool-api/server'
import type { WebServer } from '../web/server'

export interface CoreOptions {
  mode: 'electron' | 'daemon'
  electronVersion?: string | null
  /** Where readable log lines go; null for none. Defaults to process.stderr. */
  stderr?: LogSink | null
  /**
   * The bundled in-task `makima` CLI (AppLayout.cliScript). The entry passes it: inside the bundle
   * this module is a chunk in out/main/chunks, so its own __dirname does not locate the CLI. Absent
   * when the core runs from source, where the CLI runs through tsx.
   */
  cliScript?: string | null
  /** The built renderer, served as the headless web UI when config.web.enabled (daemon mode). */
  rendererDir?: string | null
  /** Where the Claude OAuth token is kept (default: a 0600 file in the data dir). */
  tokenStore?: (redactor: Redactor) => TokenStore
  /** Where other secrets are kept, each in a file of its own: agents' API keys (default: 0600 files). */
  secretStore?: (redactor: Redactor, fileName: string) => TokenStore
  /** The agents' base environment (default: this process's). */
  agentEnv?: Record<string, string | undefined>
  /** The server asked for a restart (exit code 42): the entry stops the core and exits. */
  onExit?: (code: number) => void
  /** Environment for `gh` (default: this process's; tests put a fake gh first on PATH). */
  ghEnv?: Record<string, string | undefined>
  /** Extra bridge handlers (tests, or services the entry builds itself). */
  handlers?: PartialHandlers
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
  manager: TaskManager
  control: ControlPlane
  /** The loopback tool API the in-task `makima` CLI talks to. */
  toolApi: ToolApi
  auth: AuthService
  link: ServerLink | null
  dispatch: Dispatch
  /** The headless web UI, when it is running. */
  web: WebServer | null
  stop(): Promise<void>
}

/** What every composition step gets: the config, the entry's options and the base services. */
export interface Base {
  config: Config
  opts: CoreOptions
  redactor: Redactor
  log: Logger
  store: Store
  events: CoreEvents
  /** The agents a task may run on (built-in and custom). */
  agents: AgentCatalog
  tasks: TaskRepository
  output: OutputRepository
  /** Small JSON values by key: machine id, recent repositories, user preferences. */
  settings: SettingsRepository
  hostname: string
  /** Run in order on stop: each service pushes its own disposer to the front. */
  disposers: (() => Promise<void> | void)[]
}
