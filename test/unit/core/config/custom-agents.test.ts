// Custom agents in the TOML config: validated with zod, errors naming the key and the file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../../../../src-main/core/config/config'
import { loadConfig } from '../../../../src-main/core/config/load'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

async function load(toml: string, env: Record<string, string> = {}) {
  dir = await mkdtemp(join(tmpdir(), 'makima-cfg-'))
  await writeFile(join(dir, 'makima-daemon.toml'), toml)
  const r = await loadConfig({ argv: ['--data-dir', dir], env, cwd: dir, home: dir, etcDir: dir })
  if (r.kind !== 'config') throw new Error('no config')
  return r.config
}

describe('custom agents', () => {
  it('reads [agent.<name>] with a dialect, command and args; the default may name one', async () => {
    const c = await load('[agent]\ndefault = "fast-codex"\n[agent.fast-codex]\ndialect = "codex"\ncommand = "/opt/codex"\nargs = ["-m", "o4"]\n[agent.codex]\ncommand = "codex2"\n')
    expect(c.agents.custom).toEqual({ 'fast-codex': { dialect: 'codex', command: '/opt/codex', args: ['-m', 'o4'] } })
    expect(c.agents.default).toBe('fast-codex')
    expect(c.agents.codex.command).toBe('codex2')
  })

  it('refuses an unknown dialect, a missing command, an unknown field and a bad name, naming the key', async () => {
    await expect(load('[agent.x]\ndialect = "cobol"\ncommand = "x"\n')).rejects.toThrow(/agent\.x\.dialect .*expected claude, codex, gemini or opencode/)
    await expect(load('[agent.x]\ndialect = "gemini"\n')).rejects.toThrow(/agent\.x\.command/)
    await expect(load('[agent.x]\ndialect = "gemini"\ncommand = "g"\nshell = true\n')).rejects.toThrow(/agent\.x\.shell .*unknown key/)
    await expect(load('[agent.Big_Name]\ndialect = "gemini"\ncommand = "g"\n')).rejects.toBeInstanceOf(ConfigError)
  })

  it('a default that names no configured agent stops start-up', async () => {
    await expect(load('', { MAKIMA_DAEMON_AGENT_DEFAULT: 'nobody' })).rejects.toThrow(/agent\.default .*MAKIMA_DAEMON_AGENT_DEFAULT.*"nobody"/)
  })
})
