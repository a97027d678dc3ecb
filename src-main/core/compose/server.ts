// Remote mode: the link to a Makima server, when a URL and a key are configured.
import { serverLoginPort } from '../auth/ports'
import type { AuthService } from '../auth/auth-service'
import { toServerStatus } from '../bridge/server-status'
import { ConfigError } from '../config/config'
import { createGitAdapter } from '../server/git-adapter'
import { createServerLink, type ServerLink } from '../server/link'
import { createTaskEngineAdapter } from '../server/task-adapter'
import type { TaskManager } from '../tasks/manager'
import { APP_VERSION } from '../version'
import type { Base } from './types'

export async function composeServerLink(b: Base, manager: TaskManager, auth: AuthService): Promise<ServerLink | null> {
  const { config, opts, log } = b
  if (!config.server.url || !config.server.apiKey) return null
  const link = await createServerLink({
    url: config.server.url,
    apiKey: config.server.apiKey,
    dataDir: config.dataDir,
    db: b.store.db,
    maxConcurrentTasks: config.process.maxConcurrentTasks,
    version: APP_VERSION,
    hostname: b.hostname,
    heartbeatIntervalSecs: config.server.heartbeatIntervalSecs,
    reconnectIntervalSecs: config.server.reconnectIntervalSecs,
    tasks: createTaskEngineAdapter(manager, { worktreesDir: config.worktree.baseDir }),
    // Live tasks and ended ones (the manager forgets those; the store keeps them).
    git: createGitAdapter({ knownTaskIds: () => [...new Set([...manager.list(), ...b.tasks.list({ limit: 100_000 })].map((t) => t.id))], onIdentity: (i) => manager.setInheritedIdentity(i) }),
    login: serverLoginPort(auth),
    process: { exit: (code) => (opts.onExit ? opts.onExit(code) : log.warn('restart requested, but this entry cannot restart', { code })) },
    log: log.child('server'),
  }).catch((err: Error) => {
    throw new ConfigError('server.url', { kind: 'default' }, err.message)
  })
  link.onState((s) => b.events.emit('serverStatus', toServerStatus(s)))
  b.disposers.unshift(() => link.stop())
  link.start()
  return link
}
