// Adapters from AuthService to the ports other layers declared (tasks/ports.ts AuthPort,
// server/ports.ts LoginPort). Shapes are restated here, not imported: auth sits below tasks and
// server and must not point up at them. start.ts passes these objects in.
import type { AuthService } from './auth-service'
import type { AuthErrorMatch } from './detect'

/** What the task manager calls (structurally its AuthPort). Passing the run's session id and the
 * match lets the task be listed for a one-click restart that resumes its session. */
export interface TaskAuthPort {
  requestLogin(taskId: string, detail?: { sessionId?: string | null; match?: AuthErrorMatch }): Promise<{ loginUrl: string } | null>
  submitCode(code: string): boolean
  withdrawLogin(taskId: string): void
}

const UNKNOWN_MATCH: AuthErrorMatch = { reason: 'unauthorized', message: 'authentication required', via: 'text' }

export function taskAuthPort(auth: AuthService): TaskAuthPort {
  return {
    async requestLogin(taskId, detail) {
      const outcome = await auth.reportAuthFailure({ taskId, sessionId: detail?.sessionId ?? null, match: detail?.match ?? UNKNOWN_MATCH })
      return outcome.kind === 'url' ? { loginUrl: outcome.loginUrl } : null
    },
    submitCode: (code) => auth.submitCode(code).kind === 'written',
    withdrawLogin: (taskId) => auth.failedTasks.remove(taskId),
  }
}

/** What the server dispatch calls for `AUTH_CODE:` messages (structurally its LoginPort). */
export interface ServerLoginPort {
  submitCode(code: string): Promise<{ kind: 'accepted' } | { kind: 'no-pending-login' }>
}

export function serverLoginPort(auth: AuthService): ServerLoginPort {
  return {
    submitCode: async (code) => (auth.submitCode(code).kind === 'written' ? { kind: 'accepted' } : { kind: 'no-pending-login' }),
  }
}
