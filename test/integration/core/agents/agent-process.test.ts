// AgentProcess behaviours the real CLI cannot be made to show on demand, with the fake CLI:
// group pause/interrupt, hang after result, silence, early exit, crashes, invalid UTF-8, huge lines.
import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentProcess, STARTUP_WARNING_TEXT, type AgentProcessOptions } from '../../../../src-main/core/agents/agent-process'
import { buildClaudeArgv } from '../../../../src-main/core/agents/adapters/claude'
import type { ClassifiedLine } from '../../../../src-main/core/agents/classify'
import { liveGroupMembers } from '../../../../src-main/core/agents/process-group'
import { FAKE_CLAUDE, fakeEnv, type FakeScenario } from '../../../fixtures/fake-claude'
import { ManualTimers, pidAlive, tempDir, waitFor } from './helpers'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function fake(scenario: FakeScenario, extraEnv: Record<string, string> = {}, o: Partial<AgentProcessOptions> = {}) {
  const cwd = await tempDir()
  const { command, args } = buildClaudeArgv({ command: FAKE_CLAUDE })
  const agent = new AgentProcess({ command, args, cwd, env: fakeEnv(scenario, extraEnv), ...o })
  const lines: ClassifiedLine[] = []
  agent.on('line', (l) => lines.push(l))
  cleanups.push(() => rm(cwd, { recursive: true, force: true }), () => agent.stop())
  return { agent, lines, cwd }
}

const size = async (p: string) => (await stat(p).catch(() => ({ size: 0 }))).size

describe('AgentProcess with the fake CLI', () => {
  it('pause stops the agent AND its child processes; resume continues both', async () => {
    const dir = await tempDir()
    const tick = join(dir, 'ticks')
    const { agent, lines } = await fake('spawn-child', { FAKE_CLAUDE_TICK_FILE: tick })
    await waitFor(() => lines.some((l) => l.subtype === 'fake_child'), { what: 'child pid' })
    const childPid = lines.find((l) => l.subtype === 'fake_child')!.json!.pid as number
    const count = async (ch: string) => (await readFile(tick, 'utf8').catch(() => '')).split(ch).length - 1
    await waitFor(async () => (await count('c')) > 3 && (await count('p')) > 3, { what: 'ticks from agent and child' })

    expect(agent.pause()).toBe(true)
    expect(agent.isPaused).toBe(true)
    // Both processes show state T (stopped) in /proc.
    const state = async (pid: number) => (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]![0]
    await waitFor(async () => (await state(agent.pid!)) === 'T' && (await state(childPid)) === 'T', { what: 'both stopped' })
    const frozen = await size(tick)
    // A stopped group writes nothing: wait (by polling real progress of time) for 20 tick periods.
    const until = Date.now() + 200
    await waitFor(() => Date.now() > until)
    expect(await size(tick)).toBe(frozen)

    expect(agent.resume()).toBe(true)
    await waitFor(async () => (await count('c')) > frozen + 3 && (await count('p')) > frozen + 3, { what: 'ticks after resume' })
    // The group still writes ticks into dir: end it before removing the dir (ENOTEMPTY otherwise).
    await agent.interrupt()
    await rm(dir, { recursive: true, force: true })
  })

  it('interrupt ends the whole group, leaving no process behind', async () => {
    const dir = await tempDir()
    const { agent, lines } = await fake('spawn-child', { FAKE_CLAUDE_TICK_FILE: join(dir, 't') })
    await waitFor(() => lines.some((l) => l.subtype === 'fake_child'))
    const childPid = lines.find((l) => l.subtype === 'fake_child')!.json!.pid as number
    expect(await liveGroupMembers(agent.pid!)).toHaveLength(2)
    agent.pause() // a paused agent must be stoppable too
    expect(pidAlive(childPid)).toBe(true)
    const exit = await agent.interrupt()
    expect(exit).toMatchObject({ code: 143, stoppedBy: 'interrupt' })
    expect(pidAlive(childPid)).toBe(false)
    expect(await liveGroupMembers(agent.pid!)).toEqual([])
    await rm(dir, { recursive: true, force: true })
  })

  it('interrupt escalates to SIGKILL for an agent that ignores SIGTERM', async () => {
    const { agent, lines } = await fake('ignore-sigterm', {}, { killGraceMs: 300 })
    await waitFor(() => lines.length > 0)
    const exit = await agent.interrupt()
    expect(exit).toMatchObject({ code: null, signal: 'SIGKILL', stoppedBy: 'interrupt' })
    expect(await liveGroupMembers(agent.pid!)).toEqual([])
  })

  it('stops an agent that hangs after its result', async () => {
    const { agent, lines } = await fake('hang-after-result', {}, { exitAfterResultMs: 300, killGraceMs: 300 })
    agent.send('hello')
    const exit = await agent.exited
    expect(exit.stoppedBy).toBe('hang-after-result')
    expect(exit.code).toBe(143) // it ignores EOF but not SIGTERM
    expect(lines.some((l) => l.kind === 'notice' && l.text.includes('did not exit'))).toBe(true)
  })

  it('warns ONCE when the agent stays silent, however long it stays silent', async () => {
    const timers = new ManualTimers()
    const { agent, lines } = await fake('silent', {}, { startupWarningMs: 30_000, timers })
    const slow: number[] = []
    agent.on('startupSlow', () => slow.push(Date.now()))
    expect(timers.fire(30_000)).toBe(1)
    for (let i = 0; i < 5; i++) timers.fire(30_000) // nothing is scheduled again
    expect(slow).toHaveLength(1)
    expect(lines.filter((l) => l.text === STARTUP_WARNING_TEXT)).toHaveLength(1)
    expect([...timers.pending.values()].filter((t) => t.ms === 30_000)).toHaveLength(0)
  })

  it('keeps its defaults when options are passed as undefined', async () => {
    const timers = new ManualTimers()
    await fake('silent', {}, { startupWarningMs: undefined, exitAfterResultMs: undefined, timers })
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([30_000])
  })

  it('does not warn when output arrives in time', async () => {
    const timers = new ManualTimers()
    const { agent, lines } = await fake('ok', {}, { timers })
    agent.send('hi')
    await waitFor(() => lines.length > 0)
    expect(timers.fire(30_000)).toBe(0)
    agent.closeInput()
    expect((await agent.exited).code).toBe(0)
  })

  it('reports an exit before any output with its code', async () => {
    const { agent, lines } = await fake('exit-early', { FAKE_CLAUDE_EXIT_CODE: '7' })
    const exit = await agent.exited
    expect(exit).toMatchObject({ code: 7, beforeOutput: true })
    expect(lines.map((l) => [l.kind, l.text])).toEqual([
      ['stderr', 'Error: something went wrong before start'],
      ['notice', 'Error: Claude Code exited before it started (exit code 7)'],
    ])
  })

  it('reports a command that cannot be started', async () => {
    const agent = new AgentProcess({ command: '/nonexistent/claude', args: [], cwd: '/tmp', env: {} })
    const exit = await agent.exited
    expect(exit.spawnError).toContain('ENOENT')
    expect(exit.code).toBeNull()
  })

  it('keeps the half line of a crash as text and reports exit 1', async () => {
    const { agent, lines } = await fake('crash-mid-line')
    const exit = await agent.exited
    expect(exit.code).toBe(1)
    expect(lines.at(-1)).toMatchObject({ kind: 'text', text: '{"type":"assistant","message":{"content":[{"type":"text","text":"half' })
  })

  it('survives invalid UTF-8 and a character split across writes', async () => {
    const { agent, lines } = await fake('invalid-utf8')
    expect((await agent.exited).code).toBe(0)
    expect(lines.find((l) => l.text.startsWith('bad bytes'))!.text).toBe('bad bytes: \ufffd\ufffd\ufffd end')
    expect(lines.find((l) => l.kind === 'assistant')!.text).toContain('smile 😀')
    expect(lines.some((l) => l.kind === 'result')).toBe(true)
  })

  it('cuts a 20 MiB line at 16 MiB with a visible notice and reads on', async () => {
    const { agent, lines } = await fake('huge-line', { FAKE_CLAUDE_LINE_BYTES: String(20 * 1024 * 1024) })
    expect((await agent.exited).code).toBe(0)
    const i = lines.findIndex((l) => l.text.length >= 16 * 1024 * 1024)
    expect(Buffer.byteLength(lines[i]!.text)).toBe(16 * 1024 * 1024)
    expect(lines[i]!.kind).toBe('text') // a cut JSON line is not JSON any more; kept as text
    expect(lines[i + 1]).toMatchObject({ kind: 'notice', text: expect.stringContaining('truncated') })
    expect(lines.at(-1)!.kind).toBe('result')
  })
})
