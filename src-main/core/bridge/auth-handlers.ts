// Bridge requests for the in-app login, and the mapping of the login flow's state to the contract.
import type { LoginState } from '../../../src-preload/contract'
import type { AuthService } from '../auth/auth-service'
import type { LoginState as FlowState, LoginFailure } from '../auth/login-state'
import { BridgeError, type PartialHandlers } from './dispatch'

export function toLoginState(s: FlowState): LoginState {
  switch (s.kind) {
    case 'idle':
      return { kind: 'idle' }
    case 'starting':
      return { kind: 'starting' }
    case 'awaiting-code':
      return { kind: 'awaiting-code', loginUrl: s.loginUrl, retry: s.error !== null }
    case 'verifying':
      return { kind: 'verifying' }
    case 'succeeded':
      return { kind: 'succeeded' }
    case 'failed':
      return { kind: 'failed', message: failureForGui(s.reason, s.message) }
  }
}

/**
 * The window's words for a failed sign-in: what happened and what the buttons do, never a CLI
 * command to type (the flow's own message, meant for server logs, says "run 'claude /login'").
 */
export function failureForGui(reason: LoginFailure, message: string): string {
  switch (reason) {
    case 'no-url':
      return 'Claude did not offer a sign-in link this time. Press Try again; if it keeps failing, check the Claude command in Settings.'
    case 'spawn-failed':
      return 'The Claude sign-in could not be started on this machine. Check the Claude command in Settings, then press Try again.'
    case 'exited':
      return 'The Claude sign-in ended before it finished. Press Try again to get a new link.'
    case 'code-timeout':
      return 'The sign-in waited too long for the code. Press Try again to get a new link.'
    case 'cancelled':
      return 'Sign-in cancelled. Press Try again when you are ready.'
    case 'store-failed':
      return `Signed in, but the token could not be saved (${message.replace(/\.$/, '')}). Press Try again.`
  }
}

export interface AuthHandlerDeps {
  auth: AuthService
  /** Saves an agent's API key (the variable its adapter names) and applies it to new runs. */
  saveAgentKey?(agent: string, key: string): Promise<void>
  /** Restarts one task that stopped for auth, resuming its session. */
  restartTask(taskId: string): Promise<void>
}

export function createAuthHandlers({ auth, restartTask, saveAgentKey }: AuthHandlerDeps): PartialHandlers {
  const state = () => toLoginState(auth.loginState)
  return {
    getLoginState: state,
    startLogin: async () => {
      await auth.startLogin()
      return state()
    },
    submitAuthCode: ({ code }) => {
      auth.submitCode(code)
      return state()
    },
    cancelLogin: () => {
      auth.cancelLogin()
      return state()
    },
    setAgentKey: async ({ agent, key, taskId }) => {
      if (!saveAgentKey) throw new BridgeError('unavailable', 'API keys cannot be set here')
      await saveAgentKey(agent, key)
      if (!taskId) return { restarted: false }
      await restartTask(taskId)
      auth.failedTasks.remove(taskId)
      return { restarted: true }
    },
    restartAuthFailedTasks: async () => {
      const r = await auth.restartAuthFailedTasks((t) => restartTask(t.taskId))
      return { restarted: r.restarted }
    },
  }
}
