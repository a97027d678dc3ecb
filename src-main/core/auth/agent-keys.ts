// API keys of agents that have no login flow we can drive (Codex: OPENAI_API_KEY, Gemini:
// GEMINI_API_KEY), entered in the sign-in banner. Each is kept like the Claude token (a 0600 file in
// the data dir, or the keychain in the app), registered with the redactor so it never reaches a
// log or the task output, and handed to the agents through their environment only — never argv.
import type { Redactor } from '../log/redact'
import type { TokenStore } from './token-store'

/** An environment variable name an agent reads its key from. */
const ENV_VAR = /^[A-Z][A-Z0-9_]{0,63}$/

export const agentKeyFileName = (envVar: string): string => `agent-key-${envVar.toLowerCase().replace(/_/g, '-')}`

export class AgentKeys {
  constructor(
    private readonly storeFor: (fileName: string) => TokenStore,
    /** The live base environment of every agent run: a saved key is set here. */
    private readonly env: Record<string, string | undefined>,
    private readonly redactor: Redactor,
  ) {}

  /** At start: the keys saved earlier override what the environment had (the user entered them
   * because that one was refused). */
  async loadAll(envVars: readonly string[]): Promise<void> {
    for (const v of new Set(envVars)) {
      const key = await this.store(v).load().catch(() => null)
      if (key) this.apply(v, key)
    }
  }

  async save(envVar: string, key: string): Promise<void> {
    const k = key.trim()
    if (!k || /\s/.test(k)) throw new Error('An API key is one word without spaces.')
    this.redactor.addSecret(k)
    await this.store(envVar).save(k)
    this.apply(envVar, k)
  }

  private apply(envVar: string, key: string): void {
    this.redactor.addSecret(key)
    this.env[envVar] = key
  }

  private store(envVar: string): TokenStore {
    if (!ENV_VAR.test(envVar)) throw new Error(`not an environment variable name: ${envVar}`)
    return this.storeFor(agentKeyFileName(envVar))
  }
}
