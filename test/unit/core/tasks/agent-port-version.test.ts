// The agent's `--version` is asked once per binary, not once per task start; a changed binary
// (upgraded in place) is asked again, and a failure is never kept.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { claudeAdapter } from '../../../../src-main/core/agents/adapters/claude'
import { AgentPorts, CliAgentPort } from '../../../../src-main/core/tasks/agent-port'
import type { OutputLog } from '../../../../src-main/core/tasks/output-log'

let dir: string
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'makima-version-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A real executable that counts its runs in a file and prints a Claude-style version. */
function agentBinary(version: string): { bin: string; probes: () => number } {
  const bin = join(dir, 'claude')
  const count = join(dir, 'probes')
  writeFileSync(count, '')
  writeFileSync(bin, `#!/bin/sh\necho run >> '${count}'\necho '${version} (Claude Code)'\n`)
  chmodSync(bin, 0o755)
  return { bin, probes: () => readFileSync(count, 'utf8').split('\n').filter(Boolean).length }
}

const port = (command: string) => new CliAgentPort(claudeAdapter, { command, output: {} as OutputLog })

describe('agent version cache', () => {
  it('one probe for many starts, concurrent or not', async () => {
    const a = agentBinary('2.1.0')
    const p = port(a.bin)
    const burst = await Promise.all(Array.from({ length: 20 }, () => p.checkVersion()))
    for (const r of burst) expect(r).toEqual({ ok: true, version: '2.1.0' })
    for (let i = 0; i < 5; i++) expect(await p.checkVersion()).toEqual({ ok: true, version: '2.1.0' })
    expect(a.probes()).toBe(1)
  })

  it('a binary replaced in place is probed again', async () => {
    const a = agentBinary('2.1.0')
    const p = port(a.bin)
    expect(await p.checkVersion()).toEqual({ ok: true, version: '2.1.0' })
    // The upgrade: a new file at the same path (new inode, size and mtime).
    rmSync(a.bin)
    writeFileSync(a.bin, `#!/bin/sh\necho run >> '${join(dir, 'probes')}'\necho '2.2.10 (Claude Code)'\n`)
    chmodSync(a.bin, 0o755)
    expect(await p.checkVersion()).toEqual({ ok: true, version: '2.2.10' })
    expect(await p.checkVersion()).toEqual({ ok: true, version: '2.2.10' })
    expect(a.probes()).toBe(2)
  })

  it('a failed probe is not kept: the next start asks again', async () => {
    const bin = join(dir, 'claude')
    const count = join(dir, 'probes')
    writeFileSync(count, '')
    writeFileSync(bin, `#!/bin/sh\necho run >> '${count}'\necho broken >&2\nexit 3\n`)
    chmodSync(bin, 0o755)
    const p = port(bin)
    expect(await p.checkVersion()).toMatchObject({ ok: false })
    expect(await p.checkVersion()).toMatchObject({ ok: false })
    expect(readFileSync(count, 'utf8').split('\n').filter(Boolean)).toHaveLength(2)
  })

  it('warming at engine start answers the first task without a second probe', async () => {
    const a = agentBinary('2.1.0')
    const ports = new AgentPorts({ claude: port(a.bin) })
    ports.warmVersions()
    expect(await ports.checkVersion('claude')).toEqual({ ok: true, version: '2.1.0' })
    expect(a.probes()).toBe(1)
  })
})
