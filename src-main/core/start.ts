// Composition root: builds every core service from the Config. Shared by the Electron entry and
// the headless daemon; holds no module singletons, so tests build as many cores as they like.
import { mkdir } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import pkg from '../../package.json'
import { bundledLauncherSpec, sourceLauncherSpec, writeLauncher } from '../cli/launcher'
import { findBwrap } from './agents/sandbox'
import { AuthService } from './auth/auth-service'
import { LoginFlow } from './auth/login-flow'
import { taskAuthPort, serverLoginPort } from './auth/ports'
import { FileTokenStore, type TokenStore } from './auth/token-store'
import { createAuthHandlers, toLoginState } from './bridge/auth-handlers'
import { createDispatcher, type Dispatch, type PartialHandlers } from './bridge/dispatch'
import { createGitHandlers } from './bridge/git-handlers'
import { createHandlers, toSummary } from './bridge/handlers'
import { toServerStatus, withoutCredentials } from './bridge/server-status'
import { createTaskHandlers } from './bridge/task-handlers'
import { createTerminalHandlers, forwardTerminalEvents } from './bridge/terminal-handlers'
import { ConfigError, type Config } from './config/config'
import { bridgeEventSinks, ControlPlane, controlHandlers, getContractDetail, withOrchestrateScript } from './control'
import { CoreEvents } from './events'
import { Logger, type LogSink } from './log/logger'
import { Redactor } from './log/redact'
import { RotatingFile } from './log/rotating-file'
import { createGitAdapter } from './server/git-adapter'
import { createServerLink, type ServerLink } from './server/link'
import { createTaskEngineAdapter } from './server/task-adapter'
import { lockDataDir, type DataDirLock } from './store/data-dir-lock'
import { openStore, type Store } from './store/db'
import { OutputRepository } from './store/output-repository'
import { SettingsRepository } from './store/settings-repository'
import { TaskRepository } from './store/task-repository'
import { ClaudeAgentPort } from './tasks/agent-port'
import { TaskManager } from './tasks/manager'
import { TaskQueue } from './tasks/task-queue'
import { OutputLog } from './tasks/output-log'
import { GitWorkspace } from './tasks/workspace'
import { TerminalHost } from './terminals/host'
import { ToolApi } from './tool-api/server'
import { startWebServer, type WebServer } from './web/server'

export const APP_VERSION: string = pkg.version

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
  const disposers: (() => Promise<void> | void)[] = [() => store.close(), () => file.close(), () => lock.release()]
  try {
    const core = await build(config, opts, { redactor, log, store, disposers })
    if (core.web) await lock.update({ webUrl: core.web.url })
    return core
  } catch (err) {
    // The lock is released by startCore once everything else is closed.
    for (const d of disposers.slice(0, -1)) await d()
    throw err
  }
}

interface Base {
  redactor: Redactor
  log: Logger
  store: Store
  /** Run in order on stop: each service pushes its own disposer to the front. */
  disposers: (() => Promise<void> | void)[]
}

async function build(config: Config, opts: CoreOptions, base: Base): Promise<Core> {
  const { redactor, log, store, disposers } = base
  const tasks = new TaskRepository(store.db)
  const output = new OutputRepository(store.db)
  const settings = new SettingsRepository(store.db)
  const events = new CoreEvents()
  const host = hostname()
  // Interactive shells in task worktrees (the Terminal tab); killed with the core.
  const terminals = new TerminalHost({ tasks, log: log.child('terminals') })
  disposers.unshift(() => terminals.dispose())
  forwardTerminalEvents(terminals, events)

  // ── Login (Claude OAuth) ──────────────────────────────────────────────────────────────────────
  const tokens = opts.tokenStore?.(redactor) ?? new FileTokenStore(config.dataDir, redactor)
  const flow = new LoginFlow({ command: config.process.claudeCommand, preArgs: config.process.claudePreArgs, tokens, redactor, log: log.child('login'), hostname: host })
  const auth = new AuthService({ flow, tokens, log })
  disposers.unshift(() => flow.dispose())
  // Agents read their environment at each start: a token saved by a login reaches the next run.
  const agentEnv: Record<string, string | undefined> = { ...(opts.agentEnv ?? process.env) }
  const applyToken = async () => {
    const token = await tokens.load().catch(() => null)
    if (token) agentEnv.CLAUDE_CODE_OAUTH_TOKEN = token
  }
  await applyToken()
  flow.onStateChange((s) => {
    events.emit('loginState', toLoginState(s))
    if (s.kind === 'succeeded') void applyToken()
  })

  // ── Task engine ───────────────────────────────────────────────────────────────────────────────
  const outputLog = new OutputLog({ repo: output, redactor, onError: (taskId, error) => log.error('task output could not be stored', { taskId, error }) })
  disposers.unshift(() => outputLog.dispose())
  let sandbox: { bwrapPath: string; tmpRoot: string } | undefined
  if (config.process.bubblewrap) {
    const bwrapPath = await findBwrap().catch((err: Error) => {
      throw new ConfigError('process.bubblewrap', { kind: 'default' }, err.message)
    })
    sandbox = { bwrapPath, tmpRoot: join(config.dataDir, 'agent-tmp') }
  }
  const agents = new ClaudeAgentPort({
    command: config.process.claudeCommand,
    preArgs: config.process.claudePreArgs,
    extraArgs: config.process.claudeArgs,
    enablePermissions: config.process.enablePermissions,
    disableVerbose: config.process.disableVerbose,
    systemPromptMode: config.process.systemPromptMode,
    output: outputLog,
    versionEnv: definedEnv(agentEnv),
    sandbox,
  })
  const tempDir = join(config.dataDir, 'temp')
  await mkdir(tempDir, { recursive: true })

  // ── Control plane: the loopback tool API and the `makima` CLI first on every task's PATH ──────
  const toolApi = await ToolApi.start({ log: log.child('tool-api') })
  disposers.unshift(() => toolApi.close())
  const binDir = join(config.dataDir, 'bin')
  const makimaCommand = await writeLauncher(launcherSpec(binDir, opts))
  const workspace = withOrchestrateScript(
    new GitWorkspace({ worktreesDir: config.worktree.baseDir, reposDir: config.worktree.reposDir, tempDir, checkpointPatches: config.checkpointPatches }),
    { isOrchestrator: (id) => tasks.get(id)?.isOrchestrator ?? false, makimaCommand },
  )
  const manager = new TaskManager({
    tasks, agents, workspace, output: outputLog, redactor, log: log.child('tasks'),
    limits: { maxConcurrentTasks: config.process.maxConcurrentTasks, maxTasksPerContract: config.process.maxTasksPerContract },
    // Remote mode: tasks talk to the server's API, as in the original; local mode: our tool API.
    apiUrl: config.server.url ? config.process.apiUrl : toolApi.url,
    extraPathDir: binDir,
    baseEnv: agentEnv,
    enablePermissions: config.process.enablePermissions,
    heartbeatCommitIntervalSecs: config.process.heartbeatCommitIntervalSecs,
    auth: taskAuthPort(auth),
    hostname: host,
  })
  disposers.unshift(() => manager.shutdown())
  const control = new ControlPlane({ db: store.db, tasks: manager, taskStore: tasks, output, log: log.child('control'), tempDir, ...bridgeEventSinks(events) })
  // Stop order: agents first (manager), then the control plane, then the tool API.
  disposers.splice(1, 0, () => control.dispose())
  // Attach before any spawn or recovery, so no tool-key event is missed.
  toolApi.attach({ plane: control, tasks: manager })
  // The UI's view of a task, from the manager (live) or the store (ended before this core).
  const emitTask = (taskId: string) => {
    const t = manager.get(taskId)
    if (t) events.emit('taskUpdated', toSummary(t))
  }
  manager.onEvent((e) => {
    switch (e.type) {
      case 'taskUpdated':
        emitTask(e.taskId)
        break
      case 'taskOutputBatch':
        events.emit('taskOutput', { taskId: e.taskId, lines: e.lines })
        break
      case 'authenticationRequired':
        events.emit('authRequired', { taskId: e.taskId ?? null, loginUrl: e.loginUrl, hostname: e.hostname ?? host })
        break
      case 'taskComplete':
        if (!e.success && e.error) events.emit('notice', { level: 'error', message: e.error, taskId: e.taskId })
        break
      default:
        break
    }
  })
  const queue = new TaskQueue(manager, tasks, log.child('queue'), emitTask)
  // A slot frees up whenever a task ends: start what waits.
  manager.onEvent((e) => {
    // Every end of a run moves the task to a terminal state; settled(): its slot is released.
    if (e.type === 'taskUpdated' && (e.state === 'completed' || e.state === 'failed' || e.state === 'interrupted')) {
      void manager.settled(e.taskId).then(() => queue.drain())
    }
  })
  // Restarting a task (after a login) resumes its session from its stored spawn request.
  const restartTask = async (taskId: string) => {
    const r = await manager.resumeRecovered(taskId)
    if (!r.ok) throw new Error(r.message)
  }

  // ── Server link (remote mode) ─────────────────────────────────────────────────────────────────
  let link: ServerLink | null = null
  if (config.server.url && config.server.apiKey) {
    link = await createServerLink({
      url: config.server.url,
      apiKey: config.server.apiKey,
      dataDir: config.dataDir,
      db: store.db,
      maxConcurrentTasks: config.process.maxConcurrentTasks,
      version: APP_VERSION,
      hostname: host,
      heartbeatIntervalSecs: config.server.heartbeatIntervalSecs,
      reconnectIntervalSecs: config.server.reconnectIntervalSecs,
      tasks: createTaskEngineAdapter(manager, { worktreesDir: config.worktree.baseDir }),
      git: createGitAdapter({ knownTaskIds: () => manager.list().map((t) => t.id), onIdentity: (i) => manager.setInheritedIdentity(i) }),
      login: serverLoginPort(auth),
      process: { exit: (code) => (opts.onExit ? opts.onExit(code) : log.warn('restart requested, but this entry cannot restart', { code })) },
      log: log.child('server'),
    }).catch((err: Error) => {
      throw new ConfigError('server.url', { kind: 'default' }, err.message)
    })
    link.onState((s) => events.emit('serverStatus', toServerStatus(s)))
    disposers.unshift(() => link?.stop())
    link.start()
  }

  // ── Bridge ────────────────────────────────────────────────────────────────────────────────────
  const dispatch = createDispatcher(
    {
      ...createHandlers({ appVersion: APP_VERSION, electronVersion: opts.electronVersion ?? null, schemaVersion: store.schemaVersion, mode: opts.mode, tasks, output }),
      ...createGitHandlers({ tasks, tempDir, ghEnv: opts.ghEnv }),
      ...createTaskHandlers({
        manager,
        queue,
        dismissRecovered: (taskId) => {
          tasks.updateState(taskId, 'interrupted', { errorMessage: 'Not resumed after Makima restarted', completedAt: new Date().toISOString() })
          emitTask(taskId)
        },
      }),
      ...createAuthHandlers({ auth, restartTask }),
      ...controlHandlers(control),
      ...createTerminalHandlers(terminals),
      getContract: ({ contractId }) => getContractDetail(control, contractId),
      getSettings: () => ({
        dataDir: config.dataDir,
        dbPath: config.localDb.path,
        logFile: config.log.file,
        worktreesDir: config.worktree.baseDir,
        reposDir: config.worktree.reposDir,
        configFiles: config.configFiles,
        agentCommand: config.process.claudeCommand,
        maxConcurrentTasks: config.process.maxConcurrentTasks,
        maxTasksPerContract: config.process.maxTasksPerContract,
        heartbeatCommitIntervalSecs: config.process.heartbeatCommitIntervalSecs,
        bubblewrap: config.process.bubblewrap,
        serverUrl: config.server.url ? withoutCredentials(config.server.url) : null,
        apiKeySet: Boolean(config.server.apiKey),
        webUrl: web?.url ?? null,
      }),
      getServerStatus: () => (link ? toServerStatus(link.state) : { kind: 'local' as const }),
      ...opts.handlers,
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
    if (web) disposers.unshift(() => web?.close())
  }

  const recovery = await manager.recover()
  void queue.drain() // tasks queued before a restart
  log.info('core started', { mode: opts.mode, db: store.path, schemaVersion: store.schemaVersion, web: web?.url ?? null, server: config.server.url ?? null, recovery })

  let stopped: Promise<void> | null = null
  return {
    config, log, redactor, store, tasks, output, settings, events, manager, control, toolApi, auth, link, dispatch, web,
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

/** From source (tests, `npm run daemon:dev`) the CLI runs through tsx; bundled, the entry names it. */
function launcherSpec(binDir: string, opts: CoreOptions) {
  if (opts.cliScript) return bundledLauncherSpec(binDir, opts.cliScript, { electron: Boolean(process.versions.electron) })
  if (__filename.endsWith('.ts')) return sourceLauncherSpec(binDir, join(__dirname, '..', '..'))
  throw new Error('the bundled core needs the path of the makima CLI (CoreOptions.cliScript)')
}

function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}
