// Pause / resume / interrupt reach every descendant of the agent, also one that runs in a session
// (and process group) of its own — as Claude Code starts its Bash tools — with the fake CLI.
import { spawn } from 'node:child_process'
import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentProcess } from '../../../../src-main/core/agents/agent-process'
import { buildClaudeArgv } from '../../../../src-main/core/agents/adapters/claude'
import type { ClassifiedLine } from '../../../../src-main/core/agents/classify'
import { continueTree, stopTree, terminateTree } from '../../../../src-main/core/agents/process-group'
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

describe('a recycled pid (the start time does not match) is never signalled, nor its group', () => {
  /** A detached shell with a child in its group: what a recycled pid may now lead. */
  async function groupLeader() {
    const leader = spawn('sh', ['-c', 'sleep 30.5 & wait'], { stdio: 'ignore', detached: true })
    cleanups.push(async () => {
      try {
        process.kill(-leader.pid!, 'SIGKILL')
      } catch {
        // already gone
      }
    })
    let member = 0
    await waitFor(async () => {
      const { readdir } = await import('node:fs/promises')
      for (const n of await readdir('/proc')) {
        if (!/^\d+$/.test(n)) continue
        const f = await statFields(Number(n)).catch(() => null)
        if (f && Number(f[1]) === leader.pid && Number(f[2]) === leader.pid) member = Number(n)
      }
      return member > 0
    }, { what: 'the member of the group' })
    const start = startOfIdentity((await processIdentity(leader.pid!))!)
    return { leader: leader.pid!, member, wrong: `${start}9` }
  }

  it('terminateTree leaves the group of a recycled pid alone', async () => {
    const { leader, member, wrong } = await groupLeader()
    expect(await terminateTree(leader, 200, { rootStart: wrong })).toEqual({ gone: true, killed: false })
    expect(pidAlive(leader)).toBe(true)
    expect(pidAlive(member)).toBe(true)
  })

  it('stopTree and continueTree leave a recycled pid and its group alone', async () => {
    const { leader, member, wrong } = await groupLeader()
    expect(await stopTree(leader, { rootStart: wrong })).toEqual(new Map())
    // A SIGSTOP would show as state T at once for a sleeping process; give it a few polls to appear.
    const until = Date.now() + 100
    await waitFor(() => Date.now() > until)
    expect(await state(leader)).not.toBe('T')
    expect(await state(member)).not.toBe('T')
    // The real identity stops and continues both.
    const right = startOfIdentity((await processIdentity(leader))!)
    const stopped = await stopTree(leader, { rootStart: right })
    expect([...stopped!.keys()].sort()).toEqual([leader, member].sort())
    expect(await state(member)).toBe('T')
    // Without a record of what it stopped, a continue for a pid that is another process now
    // touches neither it nor its group (the group SIGCONT would continue both).
    await continueTree(leader, undefined, { rootStart: wrong })
    expect(await state(leader)).toBe('T')
    expect(await state(member)).toBe('T')
    await continueTree(leader, stopped, { rootStart: right })
    await waitFor(async () => (await state(member)) !== 'T' && (await state(leader)) !== 'T', { what: 'both to continue' })
  })
})
