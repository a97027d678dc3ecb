// The bridge: every request the UI (IPC or web) can make, through one validating dispatcher.
import type { AuthService } from '../auth/auth-service'
import { createAuthHandlers } from '../bridge/auth-handlers'
import { createDispatcher, type Dispatch } from '../bridge/dispatch'
import { createGitHandlers } from '../bridge/git-handlers'
import { createHandlers } from '../bridge/handlers'
import { createHistoryHandlers } from '../bridge/history-handlers'
import { toServerStatus, withoutCredentials } from '../bridge/server-status'
import { createLifecycleHandlers } from '../bridge/lifecycle-handlers'
import { createTaskHandlers } from '../bridge/task-handlers'
import { createTerminalHandlers } from '../bridge/terminal-handlers'
import type { Config } from '../config/config'
import { controlHandlers, getContractDetail } from '../control'
import type { ServerLink } from '../server/link'
import type { RecordPatch } from '../tasks/record-changes'
import type { TerminalHost } from '../terminals/host'
import { APP_VERSION } from '../version'
import type { Engine } from './engine'
import type { Base } from './types'

export interface BridgeParts {
  engine: Engine
  auth: AuthService
  link: ServerLink | null
  terminals: TerminalHost
  /** The web UI's URL once it runs (it starts after the dispatcher exists). */
  webUrl(): string | null
}

export function composeDispatch(b: Base, p: BridgeParts): Dispatch {
  const { config, opts, tasks } = b
  const { manager, queue, control } = p.engine
  const patchTask = (taskId: string, patch: RecordPatch) => {
    manager.patchRecord(taskId, patch)
    p.engine.emitTask(taskId)
  }
  return createDispatcher(
    {
      ...createHandlers({ appVersion: APP_VERSION, electronVersion: opts.electronVersion ?? null, schemaVersion: b.store.schemaVersion, mode: opts.mode, tasks, output: b.output }),
      ...createGitHandlers({ tasks, tempDir: p.engine.tempDir, ghEnv: opts.ghEnv, patchTask, worktreeChanged: p.engine.worktreeChanged, log: b.log }),
      ...createHistoryHandlers({ tasks }),
      ...createTaskHandlers({
        manager,
        queue,
        dismissRecovered: (taskId) => {
          tasks.updateState(taskId, 'interrupted', { errorMessage: 'Not resumed after Makima restarted', completedAt: new Date().toISOString() })
          p.engine.emitTask(taskId)
        },
      }),
      ...createAuthHandlers({ auth: p.auth, restartTask: p.engine.restartTask }),
      ...controlHandlers(control),
      ...createTerminalHandlers(p.terminals),
      ...createLifecycleHandlers({ tasks, output: b.output, terminals: p.terminals, events: b.events, log: b.log, patchTask, forget: (id) => manager.forget(id) }),
      getContract: ({ contractId }) => getContractDetail(control, contractId),
      getSettings: () => settingsView(config, p.webUrl()),
      getServerStatus: () => (p.link ? toServerStatus(p.link.state) : { kind: 'local' as const }),
      ...opts.handlers,
    },
    b.log.child('bridge'),
  )
}

function settingsView(config: Config, webUrl: string | null) {
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
  }
}
