// Login (Claude OAuth): the token store, the setup-token flow, and the agents' environment that
// picks up a saved token at each agent start.
import { AuthService } from '../auth/auth-service'
import { LoginFlow } from '../auth/login-flow'
import { FileTokenStore } from '../auth/token-store'
import { AgentKeys } from '../auth/agent-keys'
import { codexAdapter } from '../agents/adapters/codex'
import { geminiAdapter } from '../agents/adapters/gemini'
import { toLoginState } from '../bridge/auth-handlers'
import type { Base } from './types'

export interface Login {
  auth: AuthService
  /** API keys entered for agents without a login flow (applied to agentEnv). */
  keys: AgentKeys
  /** Live: a token saved by a login is added here and reaches the next agent run. */
  agentEnv: Record<string, string | undefined>
}

export async function composeLogin(b: Base): Promise<Login> {
  const { config, opts, redactor, log, events } = b
  const tokens = opts.tokenStore?.(redactor) ?? new FileTokenStore(config.dataDir, redactor)
  const flow = new LoginFlow({ command: config.process.claudeCommand, preArgs: config.process.claudePreArgs, tokens, redactor, log: log.child('login'), hostname: b.hostname })
  const auth = new AuthService({ flow, tokens, log })
  b.disposers.unshift(() => flow.dispose())
  const agentEnv: Record<string, string | undefined> = { ...(opts.agentEnv ?? process.env) }
  const applyToken = async () => {
    const token = await tokens.load().catch(() => null)
    if (token) agentEnv.CLAUDE_CODE_OAUTH_TOKEN = token
  }
  await applyToken()
  const keys = new AgentKeys((name) => opts.secretStore?.(redactor, name) ?? new FileTokenStore(config.dataDir, redactor, name), agentEnv, redactor)
  await keys.loadAll([codexAdapter, geminiAdapter].flatMap((a) => (a.signIn.kind === 'api-key' ? [a.signIn.envVar] : [])))
  flow.onStateChange((s) => {
    events.emit('loginState', toLoginState(s))
    if (s.kind === 'succeeded') void applyToken()
  })
  return { auth, keys, agentEnv }
}
