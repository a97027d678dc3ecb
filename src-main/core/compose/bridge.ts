// The bridge: every request the UI (IPC or web) can make, through one validating dispatcher.
import type { AuthService } from '../auth/auth-service'
import { createAuthHandlers } from '../bridge/auth-handlers'
import { BridgeError, createDispatcher, type Dispatch, type PartialHandlers } from '../bridge/dispatch'
import { createRepoHandlers } from '../bridge/repo-handlers'
import { createGitHandlers } from '../bridge/git-handlers'
import { createHandlers } from '../bridge/handlers'
import { createHistoryHandlers } from '../bridge/history-handlers'
import { toServerStatus, withoutCredentials } from '../bridge/server-status'
import { createLifecycleHandlers } from '../bridge/lifecycle-handlers'
import { createTaskHandlers } from '../bridge/task-handlers'
import { createTerminalHandlers } from '../bridge/terminal-handlers'
import type { Config } from '../config/config'
import type { UserSettings } from '../config/user-settings'
import { controlHandlers, getContractDetail } from '../control'
import type { ServerLink } from '../server/link'
import type { RecordPatch } from '../tasks/record-changes'
import { taskTranscript } from './transcript'
import type { AgentKeys } from '../auth/agent-keys'
import type { AgentCatalog } from './agent-catalog'
import type { TerminalHost } from '../terminals/host'
import { APP_VERSION } from '../version'
import type { Engine } from './engine'
import type { Base } from './types'

export interface BridgeParts {
  engine: Engine
  auth: AuthService
  keys?: AgentKeys
  link: ServerLink | null
  terminals: TerminalHost
  /** The web UI's URL once it runs (it starts after the dispatcher exists). */
  webUrl(): string | null
  /** What the Settings dialog may change. */
  userSettings: UserSettings
}

export function composeDispatch(b: Base, p: BridgeParts): Dispatch {
  const { config, opts, tasks } = b
  const { manager, queue, control } = p.engine
  const patchTask = (taskId: string, patch: RecordPatch) => {
    manager.patchRecord(taskId, patch)
    p.engine.emitTask(taskId)
  }
  const handlers: PartialHandlers = {
    ...createHandlers({ appVersion: APP_VERSION, electronVersion: opts.electronVersion ?? null, schemaVersion: b.store.schemaVersion, mode: opts.mode, tasks, output: b.output, transcript: taskTranscript(tasks, (a) => b.agents.adapter(a)) }),
    ...createGitHandlers({ tasks, tempDir: p.engine.tempDir, ghEnv: opts.ghEnv, patchTask, worktreeChanged: p.engine.worktreeChanged, log: b.log }),
    ...createHistoryHandlers({ tasks }),
    ...createTaskHandlers({
      manager,
      queue,
      knownAgent: (name) => b.agents.has(name),
      dismissRecovered: (taskId) => {
        tasks.updateState(taskId, 'interrupted', { errorMessage: 'Not resumed after Makima restarted', completedAt: new Date().toISOString() })
        p.engine.emitTask(taskId)
      },
    }),
    ...createAuthHandlers({ auth: p.auth, restartTask: p.engine.restartTask, ...(p.keys ? { saveAgentKey: agentKeySaver(p.keys, b.agents) } : {}) }),
    ...controlHandlers(control),
    ...createTerminalHandlers(p.terminals),
    ...createLifecycleHandlers({ tasks, output: b.output, terminals: p.terminals, events: b.events, log: b.log, patchTask, forget: (id) => manager.forget(id) }),
    getContract: ({ contractId }) => getContractDetail(control, contractId),
    listAgents: () => ({ default: b.agents.defaultAgent, agents: b.agents.list() }),
    getSettings: () => settingsView(config, p.webUrl(), p.userSettings),
    updateSettings: async ({ changes }) => {
      const r = await p.userSettings.update(changes)
      if (!r.ok) throw new BridgeError('invalid-params', r.message)
      b.log.info('settings changed in the app', { keys: changes.map((c) => c.key) })
      b.events.emit('settingsChanged', { theme: config.ui?.theme ?? 'dark' })
      return settingsView(config, p.webUrl(), p.userSettings)
    },
    getServerStatus: () => (p.link ? toServerStatus(p.link.state) : { kind: 'local' as const }),
  }
  const repos = createRepoHandlers({ allowedRoots: config.worktree.allowedRoots ?? [], settings: b.settings }, handlers)
  return createDispatcher({ ...handlers, ...repos, ...opts.handlers }, b.log.child('bridge'))
}

function settingsView(config: Config, webUrl: string | null, user: UserSettings) {
  // A server URL may carry credentials: the window sees it without them.
  const editable = user.view().map((e) => (e.key === 'server.url' && typeof e.value === 'string' ? { ...e, value: withoutCredentials(e.value) } : e))
  return {
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
    webUrl,
    editable,
    theme: config.ui?.theme ?? 'dark',
  }
}

/** Only an agent that reads an API key from its environment takes one (Claude signs in instead). */
function agentKeySaver(keys: AgentKeys, agents: AgentCatalog) {
  return (agent: string, key: string): Promise<void> => {
    if (!agents.has(agent)) throw new BridgeError('invalid-params', `no agent named ${agent}`)
    const a = agents.adapter(agent)
    if (a.signIn.kind !== 'api-key') throw new BridgeError('invalid-params', `${a.displayName} signs in with its own login, not an API key`)
    return keys.save(a.signIn.envVar, key)
  }
}
