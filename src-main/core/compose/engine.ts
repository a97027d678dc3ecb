// The task engine: agent processes (optionally sandboxed), worktrees, the TaskManager, the control
// plane with its loopback tool API and the in-task `makima` CLI, and the queue of app-created tasks.
import { logTaskLifecycle } from './lifecycle-log'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { bundledLauncherSpec, sourceLauncherSpec, writeLauncher, type LauncherSpec } from '../../cli/launcher'
import { findBwrap } from '../agents/sandbox'
import { taskAuthPort } from '../auth/ports'
import { toSummary } from '../bridge/handlers'
import { ConfigError } from '../config/config'
import { bridgeEventSinks, ControlPlane, withOrchestrateScript } from '../control'
import { codexAdapter } from '../agents/adapters/codex'
import { geminiAdapter } from '../agents/adapters/gemini'
import { opencodeAdapter } from '../agents/adapters/opencode'
import type { AgentAdapter } from '../agents/adapters/types'
import { findBinary, loginShellPath, mergePaths } from '../agents/binary'
import { AgentPorts, ClaudeAgentPort, CliAgentPort } from '../tasks/agent-port'
import { ChangeSignal } from '../tasks/change-signal'
import { TaskManager } from '../tasks/manager'
import { SpaceReserve } from '../store/space-reserve'
import { isDiskFull, storeFailureReason } from '../store/store-failure'
import { OutputLog } from '../tasks/output-log'
import { TaskQueue } from '../tasks/task-queue'
import { GitWorkspace } from '../tasks/workspace'
import { ToolApi } from '../tool-api/server'
import type { Login } from './login'
import type { Base, CoreOptions } from './types'

export interface Engine {
  manager: TaskManager
  control: ControlPlane
  toolApi: ToolApi
  queue: TaskQueue
  tempDir: string
  /** Sends the UI a task's current summary. */
  emitTask(taskId: string): void
  /** Restarts a task stopped for a login, resuming its session. */
  restartTask(taskId: string): Promise<void>
  /** Tells the views a task's worktree changed (a merge, a rebase): they re-read its diff. */
  worktreeChanged(taskId: string): void
}

export async function composeEngine(b: Base, login: Login): Promise<Engine> {
  const { config, log, disposers, tasks } = b
  // Output that cannot be stored (a full disk) stalls the task's output and pauses the agent: it
  // blocks on its pipe, nothing is lost, and the task says why. Resuming tries again.
  const ref: { manager?: TaskManager } = {}
  const reserve = new SpaceReserve(dirname(b.store.path))
  if (!reserve.restore()) log.warn('no room for the space reserve next to the database', { dir: reserve.dir })
  const outputFailed = (taskId: string, error: unknown, dropped: number) => {
    const reason = storeFailureReason(error, b.store.path)
    if (ref.manager?.get(taskId)?.state === 'paused') return
    // The reserve's blocks are what lets the pause itself be written on a full disk.
    if (isDiskFull(error)) reserve.release()
    log.error('task output could not be stored; pausing the task', { taskId, reason, droppedLines: dropped })
    try {
      const r = ref.manager?.pause(taskId, reason)
      if (r && !r.ok) log.warn('could not pause the task', { taskId, why: r.message })
    } catch (err) {
      log.error('could not record the pause', { taskId, error: err })
    }
  }
  const outputLog = new OutputLog({ repo: b.output, redactor: b.redactor, onError: outputFailed, isRetryable: isDiskFull })
  disposers.unshift(() => outputLog.dispose())
  // A launcher-started GUI lacks the shell's PATH: add the login shell's, and find each agent on it.
  // Only the app: a daemon is started from a shell (or a service file that sets PATH on purpose).
  const path = mergePaths(login.agentEnv.PATH, b.opts.mode === 'electron' ? await loginShellPath() : null)
  login.agentEnv.PATH = path
  const sandbox = await sandboxFor(b, join(config.dataDir, 'bin'))
  const claude = new ClaudeAgentPort({
    command: await located(config.process.claudeCommand, path),
    preArgs: config.process.claudePreArgs,
    // agent.model (Settings → Default model): Claude Code's --model; the CLI's own default when unset.
    extraArgs: config.agents.model ? ['--model', config.agents.model, ...config.process.claudeArgs] : config.process.claudeArgs,
    enablePermissions: config.process.enablePermissions,
    disableVerbose: config.process.disableVerbose,
    systemPromptMode: config.process.systemPromptMode,
    output: outputLog,
    versionEnv: definedEnv(login.agentEnv),
    sandbox,
  })
  const other = (adapter: AgentAdapter, c: { command: string; args: string[] }) =>
    located(c.command, path).then(
      (command) =>
        new CliAgentPort(adapter, { command, extraArgs: c.args, enablePermissions: config.process.enablePermissions, output: outputLog, versionEnv: definedEnv(login.agentEnv), sandbox }),
    )
  const custom = await Promise.all(Object.entries(config.agents.custom).map(async ([name, c]) => [name, await other(b.agents.adapter(name), c)] as const))
  const agents = new AgentPorts({ ...Object.fromEntries(custom), claude, codex: await other(codexAdapter, config.agents.codex), gemini: await other(geminiAdapter, config.agents.gemini), opencode: await other(opencodeAdapter, config.agents.opencode) })
  // Off the start path: the first task finds its agent's version already known.
  agents.warmVersions()
  const tempDir = join(config.dataDir, 'temp')
  await mkdir(tempDir, { recursive: true })

  // The loopback tool API and the `makima` CLI first on every task's PATH.
  const toolApi = await ToolApi.start({ log: log.child('tool-api') })
  disposers.unshift(() => toolApi.close())
  const binDir = join(config.dataDir, 'bin')
  const makimaCommand = await writeLauncher(launcherSpec(binDir, b.opts))
  const workspace = withOrchestrateScript(
    new GitWorkspace({ worktreesDir: config.worktree.baseDir, reposDir: config.worktree.reposDir, tempDir, checkpointPatches: config.checkpointPatches }),
    { isOrchestrator: (id) => tasks.get(id)?.isOrchestrator ?? false, makimaCommand },
  )
  const manager = new TaskManager({
    tasks, agents, defaultAgent: config.agents.default, workspace, output: outputLog, redactor: b.redactor, log: log.child('tasks'),
    limits: { maxConcurrentTasks: config.process.maxConcurrentTasks, maxTasksPerContract: config.process.maxTasksPerContract },
    // Remote mode: tasks talk to the server's API, as in the original; local mode: our tool API.
    apiUrl: config.server.url ? config.process.apiUrl : toolApi.url,
    extraPathDir: binDir,
    baseEnv: login.agentEnv,
    enablePermissions: config.process.enablePermissions,
    heartbeatCommitIntervalSecs: config.process.heartbeatCommitIntervalSecs,
    auth: taskAuthPort(login.auth),
    hostname: b.hostname,
    allowedRoots: config.worktree.allowedRoots,
  })
  ref.manager = manager
  disposers.unshift(() => manager.shutdown())
  const control = new ControlPlane({ db: b.store.db, tasks: manager, taskStore: tasks, output: b.output, log: log.child('control'), tempDir, knownAgent: (n) => b.agents.has(n), ...bridgeEventSinks(b.events) })
  // Stop order: agents first (manager), then the control plane, then the tool API.
  disposers.splice(1, 0, () => control.dispose())
  // Attach before any spawn or recovery, so no tool-key event is missed.
  toolApi.attach({ plane: control, tasks: manager })
  const emitTask = (taskId: string) => {
    const t = manager.get(taskId)
    if (t) b.events.emit('taskUpdated', toSummary(t))
  }
  const changes = new ChangeSignal((taskId) => b.events.emit('taskFilesChanged', { taskId }))
  disposers.unshift(() => changes.dispose())
  forwardManagerEvents(b, manager, emitTask, changes)
  logTaskLifecycle(manager, log)
  const queue = new TaskQueue(manager, tasks, log.child('queue'), emitTask)
  // A slot frees up whenever a task ends: start what waits.
  manager.onEvent((e) => {
    // Resumed after its output stalled: put the reserve back if there is room, then try again.
    if (e.type === 'taskUpdated' && e.state === 'running' && outputLog.isStalled(e.taskId)) {
      reserve.restore()
      outputLog.retry(e.taskId)
    }
    // Every end of a run moves the task to a terminal state; settled(): its slot is released.
    if (e.type === 'taskUpdated' && (e.state === 'completed' || e.state === 'failed' || e.state === 'interrupted')) {
      void manager.settled(e.taskId).then(() => queue.drain())
    }
  })
  const restartTask = async (taskId: string) => {
    const r = await manager.resumeRecovered(taskId)
    if (!r.ok) throw new Error(r.message)
  }
  return { manager, control, toolApi, queue, tempDir, emitTask, restartTask, worktreeChanged: (taskId) => changes.flush(taskId) }
}

/** The manager's events as the UI's bridge events, and each state change as one log line. */
function forwardManagerEvents(b: Base, manager: TaskManager, emitTask: (taskId: string) => void, changes: ChangeSignal): void {
  const lastState = new Map<string, string>()
  const taskLog = b.log.child('task')
  manager.onEvent((e) => {
    switch (e.type) {
      case 'taskUpdated': {
        emitTask(e.taskId)
        if (lastState.get(e.taskId) === e.state) break
        lastState.set(e.taskId, e.state)
        const t = b.tasks.get(e.taskId)
        taskLog.info(`task ${e.state}`, { taskId: e.taskId, name: t?.name, ...(t?.errorMessage && (e.state === 'failed' || e.state === 'interrupted') ? { error: t.errorMessage } : {}) })
        // Ended tasks are forgotten here: the map stays as large as the live work.
        if (e.state === 'completed' || e.state === 'failed' || e.state === 'interrupted') {
          lastState.delete(e.taskId)
          changes.flush(e.taskId) // the last writes (and a completion commit) show without a Refresh
        }
        break
      }
      case 'taskOutputBatch':
        b.events.emit('taskOutput', { taskId: e.taskId, lines: e.lines })
        break
      case 'authenticationRequired':
        b.events.emit('authRequired', { taskId: e.taskId ?? null, loginUrl: e.loginUrl, hostname: e.hostname ?? b.hostname })
        break
      case 'agentAuthRequired':
        b.events.emit('authRequired', { taskId: e.taskId, loginUrl: null, hostname: b.hostname, agent: e.agent, hint: e.hint, ...(e.keyVar ? { keyVar: e.keyVar } : {}) })
        break
      case 'authenticationCleared':
        b.events.emit('authCleared', { taskId: e.taskId })
        break
      case 'worktreeTouched':
        changes.touch(e.taskId)
        break
      case 'taskComplete':
        if (!e.success && e.error) b.events.emit('notice', { level: 'error', message: e.error, taskId: e.taskId })
        break
      default:
        break
    }
  })
}

/** The data directory is hidden from sandboxed agents but for the `makima` CLI's directory. */
async function sandboxFor(b: Base, binDir: string) {
  if (!b.config.process.bubblewrap) return undefined
  const bwrapPath = await findBwrap().catch((err: Error) => {
    throw new ConfigError('process.bubblewrap', { kind: 'default' }, err.message)
  })
  await mkdir(binDir, { recursive: true })
  return { bwrapPath, tmpRoot: join(b.config.dataDir, 'agent-tmp'), hidden: [b.config.dataDir], readonly: [binDir] }
}

/** From source (tests, `npm run daemon:dev`) the CLI runs through tsx; bundled, the entry names it. */
function launcherSpec(binDir: string, opts: CoreOptions): LauncherSpec {
  if (opts.cliScript) return bundledLauncherSpec(binDir, opts.cliScript, { electron: Boolean(process.versions.electron) })
  if (__filename.endsWith('.ts')) return sourceLauncherSpec(binDir, join(__dirname, '..', '..', '..'))
  throw new Error('the bundled core needs the path of the makima CLI (CoreOptions.cliScript)')
}

/** The absolute path when the command is found on `path`; else the name, and the version check says
 * it is not installed and how to install it. */
async function located(command: string, path: string): Promise<string> {
  const r = await findBinary(command, path)
  return r.kind === 'found' ? r.path : command
}

function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}
