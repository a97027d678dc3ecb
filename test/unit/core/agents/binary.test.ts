// Agents are found through the login shell's PATH (a GUI started from a launcher lacks it).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findBinary, loginShellPath, mergePaths } from '../../../../src-main/core/agents/binary'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function tool(d: string, name: string): string {
  const p = join(d, name)
  writeFileSync(p, '#!/bin/sh\necho 1.0.0\n')
  chmodSync(p, 0o755)
  return p
}

describe('agent binaries', () => {
  it('reads the PATH a login shell sets up (profile files run), and finds the agent there only', async () => {
    dir = mkdtempSync(join(tmpdir(), 'makima-bin-'))
    const bin = join(dir, 'npm-global', 'bin')
    mkdirSync(bin, { recursive: true })
    const codex = tool(bin, 'codex')
    // A login shell (bash -l) reads ~/.bash_profile: that is where users extend PATH.
    writeFileSync(join(dir, '.bash_profile'), `export PATH="${bin}:$PATH"\n`)
    const launcherEnv = { HOME: dir, PATH: '/usr/bin:/bin', SHELL: '/bin/bash' }
    expect(await findBinary('codex', launcherEnv.PATH)).toMatchObject({ kind: 'missing' })
    const login = await loginShellPath({ env: launcherEnv })
    expect(login?.split(':')).toContain(bin)
    const merged = mergePaths(launcherEnv.PATH, login)
    expect(merged.startsWith('/usr/bin:/bin')).toBe(true)
    expect(await findBinary('codex', merged)).toEqual({ kind: 'found', path: codex })
  })

  it('no usable shell → null, and a command with a slash is taken as given', async () => {
    dir = mkdtempSync(join(tmpdir(), 'makima-bin-'))
    expect(await loginShellPath({ env: { SHELL: 'bash' } })).toBeNull() // not absolute: never run
    expect(await loginShellPath({ shell: join(dir, 'no-such-shell'), env: {} })).toBeNull()
    expect(await findBinary('./x/claude', '')).toEqual({ kind: 'found', path: './x/claude' })
  })

  it('a login profile that hangs (here: a child holding the pipe) gives up at the timeout, ending the group', async () => {
    dir = mkdtempSync(join(tmpdir(), 'makima-bin-'))
    writeFileSync(join(dir, '.bash_profile'), 'sleep 30 &\nsleep 30\n')
    const started = Date.now()
    expect(await loginShellPath({ env: { HOME: dir, PATH: '/usr/bin:/bin', SHELL: '/bin/bash' }, timeoutMs: 300 })).toBeNull()
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
