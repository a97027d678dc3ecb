// Pause / resume / interrupt reach every descendant of the agent, also one that runs in a session
// (and process group) of its own — as Claude Code starts its Bash tools — with the fake CLI.
import { spawn } from 'node:child_process'
import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentProcess } from '../../../../src-main/core/agents/agent-process'
import { buildClaudeArgv } from '../../../../src-main/core/agents/adapters/claude'
import type { ClassifiedLine } from '../../../../src-main/core/agents/classify'
import { terminateTree } from '../../../../src-main/core/agents/process-group'
import { processIdentity, startOfIdentity } from '../../../../src-main/core/agents/process-tree'
import { FAKE_CLAUDE, fakeEnv } from '../../../fixtures/fake-claude'
import { pidAlive, tempDir, waitFor } from './helpers'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** Fields of /proc/<pid>/stat after the command name: [state, ppid, pgrp, session, …]. */
async function statFields(pid: number): Promise<string[]> {
  const s = await readFile(`/proc/${pid}/stat`, 'utf8')
  return s.slice(s.lastIndexOf(')') + 2).split(' ')
}
const state = async (pid: number) => (await statFields(pid).catch(() => ['gone']))[0]!

async function setsidAgent() {
  const dir = await tempDir()
  const tick = join(dir, 'ticks')
  const { command, args } = buildClaudeArgv({ command: FAKE_CLAUDE })
  const agent = new AgentProcess({ command, args, cwd: dir, env: fakeEnv('setsid-child', { FAKE_CLAUDE_TICK_FILE: tick }), killGraceMs: 1000 })
  const lines: ClassifiedLine[] = []
  agent.on('line', (l) => lines.push(l))
  cleanups.push(() => rm(dir, { recursive: true, force: true }), () => agent.stop())
  await waitFor(() => lines.some((l) => l.subtype === 'fake_child'), { what: 'the child pid' })
  const info = lines.find((l) => l.subtype === 'fake_child')!.json!
  const child = info.pid as number
  const grandchild = info.grandchild as number
  const count = async (ch: string) => (await readFile(tick, 'utf8').catch(() => '')).split(ch).length - 1
  return { agent, tick, child, grandchild, count }
}

const size = async (p: string) => (await stat(p).catch(() => ({ size: 0 }))).size

describe('the agent process tree (fake CLI, a child in its own session)', () => {
  it('pause stops the agent, its setsid child and grandchild; resume continues all of them', async () => {
    const { agent, tick, child, grandchild, count } = await setsidAgent()
    // The setup really is what Claude Code does: the child leads another session and group.
    const [agentFields, childFields] = [await statFields(agent.pid!), await statFields(child)]
    expect(childFields[3]).not.toBe(agentFields[3]) // session
    expect(childFields[2]).not.toBe(agentFields[2]) // process group
    expect(Number((await statFields(grandchild))[1])).toBe(child) // ppid
    await waitFor(async () => (await count('p')) > 3 && (await count('c')) > 3 && (await count('g')) > 3, { what: 'ticks from all three' })

    expect(agent.pause()).toBe(true)
    await agent.signalsSettled()
    for (const pid of [agent.pid!, child, grandchild]) expect(await state(pid)).toBe('T')
    const frozen = await size(tick)
    // Stopped processes write nothing: let 20 tick periods pass (polling real time, not sleeping).
    const until = Date.now() + 200
    await waitFor(() => Date.now() > until)
    expect(await size(tick)).toBe(frozen)

    expect(agent.resume()).toBe(true)
    await agent.signalsSettled()
    const [p0, c0, g0] = [await count('p'), await count('c'), await count('g')]
    await waitFor(async () => (await count('p')) > p0 + 3 && (await count('c')) > c0 + 3 && (await count('g')) > g0 + 3, { what: 'ticks after resume' })
    for (const pid of [agent.pid!, child, grandchild]) expect(await state(pid)).not.toBe('T')
  })

  it('interrupt of a paused agent leaves no descendant behind', async () => {
    const { agent, child, grandchild } = await setsidAgent()
    agent.pause()
    await agent.signalsSettled()
    expect(await state(child)).toBe('T')
    const exit = await agent.interrupt()
    expect(exit).toMatchObject({ stoppedBy: 'interrupt' })
    expect(pidAlive(agent.pid!)).toBe(false)
    expect(pidAlive(child)).toBe(false)
    expect(pidAlive(grandchild)).toBe(false)
  })

  it('a pause right before an interrupt cannot leave a process stopped and alive', async () => {
    const { agent, child, grandchild } = await setsidAgent()
    agent.pause() // its tree walk is still running when the interrupt arrives
    await agent.interrupt()
    expect([agent.pid!, child, grandchild].filter(pidAlive)).toEqual([])
  })

  it('terminateTree leaves a process alone when its start time does not match (a recycled pid)', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' })
    cleanups.push(async () => sleeper.kill('SIGKILL'))
    const identity = await processIdentity(sleeper.pid!)
    expect(identity).not.toBeNull()
    const r = await terminateTree(sleeper.pid!, 200, { rootStart: `${startOfIdentity(identity!)}9` })
    expect(r).toEqual({ gone: true, killed: false })
    expect(pidAlive(sleeper.pid!)).toBe(true)
    await terminateTree(sleeper.pid!, 200, { rootStart: startOfIdentity(identity!) })
    await waitFor(() => !pidAlive(sleeper.pid!), { what: 'the sleeper to end' })
  })
})
