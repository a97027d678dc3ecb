// What the rest of the core calls: the task manager reports auth failures and asks for the agent
// environment; the bridge and the server dispatch pass login requests and codes; the UI lists the
// tasks that stopped for auth and restarts them in one click.
import type { Logger } from '../log/logger'
import type { AuthErrorMatch } from './detect'
import type { LoginFlow, LoginStartOutcome, LoginState, SubmitCodeOutcome } from './login-flow'
import { agentAuthEnv, AuthFailedTasks, type AuthFailedTask, type TokenStore } from './token-store'

export const AUTH_CODE_PREFIX = 'AUTH_CODE:'

/** The code in a server `sendMessage` that carries one (`AUTH_CODE:<code>`), else null. */
export function parseAuthCodeMessage(message: string): string | null {
  if (!message.startsWith(AUTH_CODE_PREFIX)) return null
  return message.slice(AUTH_CODE_PREFIX.length).trim()
}

export interface RestartOutcome {
  restarted: string[]
  failed: { taskId: string; message: string }[]
}

export interface AuthServiceOptions {
  flow: LoginFlow
  tokens: TokenStore
  log: Logger
  failedTasks?: AuthFailedTasks
  now?: () => number
}

export class AuthService {
  readonly failedTasks: AuthFailedTasks
  private readonly log: Logger
  private readonly now: () => number

  constructor(private readonly opts: AuthServiceOptions) {
    this.failedTasks = opts.failedTasks ?? new AuthFailedTasks()
    this.log = opts.log.child('auth')
    this.now = opts.now ?? Date.now
  }

  get loginState(): LoginState {
    return this.opts.flow.state
  }

  /** A task run hit an auth error (AuthErrorWatch fired): remember the task for a restart and
   * start a login, or join the one already pending. When no login link can be had, the outcome's
   * `notice` is what the task output should show. */
  reportAuthFailure(report: { taskId: string; sessionId?: string | null; match: AuthErrorMatch }): Promise<LoginStartOutcome> {
    this.log.warn('agent is not authenticated', { taskId: report.taskId, reason: report.match.reason, via: report.match.via })
    this.failedTasks.add({
      taskId: report.taskId,
      sessionId: report.sessionId ?? null,
      reason: report.match.reason,
      message: report.match.message,
      failedAt: this.now(),
    })
    return this.opts.flow.start({ taskId: report.taskId })
  }

  /** The user asked to log in (no task involved). */
  startLogin(): Promise<LoginStartOutcome> {
    return this.opts.flow.start({})
  }

  submitCode(code: string): SubmitCodeOutcome {
    return this.opts.flow.submitCode(code)
  }

  /** For the server's `sendMessage`: true when the message was an auth code (and so must not be
   * forwarded to the task), whatever became of it. */
  handleServerMessage(taskId: string, message: string): { handled: false } | { handled: true; outcome: SubmitCodeOutcome } {
    const code = parseAuthCodeMessage(message)
    if (code === null) return { handled: false }
    const outcome = this.opts.flow.submitCode(code)
    this.log.info('auth code from server', { taskId, outcome: outcome.kind })
    return { handled: true, outcome }
  }

  cancelLogin(): boolean {
    return this.opts.flow.cancel()
  }

  /** Environment for a new agent run: the stored token as CLAUDE_CODE_OAUTH_TOKEN, if any. */
  agentEnv(): Promise<Record<string, string>> {
    return agentAuthEnv(this.opts.tokens)
  }

  /** Restarts the listed tasks (all of them by default) through the task manager's `restart`,
   * which should resume each session. A task leaves the list only when its restart worked. */
  async restartAuthFailedTasks(restart: (task: AuthFailedTask) => Promise<void>, taskIds?: string[]): Promise<RestartOutcome> {
    const wanted = taskIds ? new Set(taskIds) : null
    const out: RestartOutcome = { restarted: [], failed: [] }
    for (const task of this.failedTasks.list()) {
      if (wanted && !wanted.has(task.taskId)) continue
      try {
        await restart(task)
        this.failedTasks.remove(task.taskId)
        out.restarted.push(task.taskId)
      } catch (err) {
        out.failed.push({ taskId: task.taskId, message: (err as Error).message })
      }
    }
    this.log.info('restarted tasks after login', { restarted: out.restarted.length, failed: out.failed.length })
    return out
  }
}
