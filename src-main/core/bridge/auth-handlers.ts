// Bridge requests for the in-app login, and the mapping of the login flow's state to the contract.
import type { LoginState } from '../../../src-preload/contract'
import type { AuthService } from '../auth/auth-service'
import type { LoginState as FlowState } from '../auth/login-state'
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
      return { kind: 'failed', message: s.message }
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
