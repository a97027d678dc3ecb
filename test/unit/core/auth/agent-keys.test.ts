import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentKeys, agentKeyFileName } from '../../../../src-main/core/auth/agent-keys'
import { FileTokenStore } from '../../../../src-main/core/auth/token-store'
import { Redactor } from '../../../../src-main/core/log/redact'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

describe('AgentKeys', () => {
  it('saves a key 0600 beside the token, applies it to the agents\' environment, redacts it; a new core loads it over the environment', async () => {
    dir = await mkdtemp(join(tmpdir(), 'makima-keys-'))
    const redactor = new Redactor()
    const env: Record<string, string | undefined> = { OPENAI_API_KEY: 'sk-old' }
    const keys = new AgentKeys((name) => new FileTokenStore(dir!, redactor, name), env, redactor)
    await keys.save('OPENAI_API_KEY', ' sk-new-abcdefgh123 ')
    expect(env.OPENAI_API_KEY).toBe('sk-new-abcdefgh123')
    expect((await stat(join(dir, agentKeyFileName('OPENAI_API_KEY')))).mode & 0o777).toBe(0o600)
    expect(redactor.redactText('key sk-new-abcdefgh123')).not.toContain('sk-new-abcdefgh123')

    const env2: Record<string, string | undefined> = { OPENAI_API_KEY: 'sk-old' }
    const redactor2 = new Redactor()
    await new AgentKeys((name) => new FileTokenStore(dir!, redactor2, name), env2, redactor2).loadAll(['OPENAI_API_KEY', 'GEMINI_API_KEY'])
    expect(env2).toEqual({ OPENAI_API_KEY: 'sk-new-abcdefgh123' })
    expect(redactor2.redactText('sk-new-abcdefgh123')).not.toContain('sk-new-abcdefgh123')
  })

  it('refuses a key with spaces and a variable name that is not one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'makima-keys-'))
    const keys = new AgentKeys((name) => new FileTokenStore(dir!, undefined, name), {}, new Redactor())
    await expect(keys.save('OPENAI_API_KEY', 'two words')).rejects.toThrow(/one word/)
    await expect(keys.save('../x', 'k')).rejects.toThrow(/environment variable/)
  })
})
