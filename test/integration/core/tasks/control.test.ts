// Pause / resume / interrupt reach the agent's whole process group; supervisors wait for the next
// message; messages to a paused task resume it first.
import { readFileSync, readdirSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { claudeAvailable } from '../../../fixtures/claude-env'
import { text, toolUse } from '../../../fixtures/model-server'
import { completeOf, makeHarness, statusChanges, waitFor, type Harness } from './harness'

const id = (n: number) => `33333333-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`
const CONTRACT = '44444444-aaaa-4bbb-8ccc-000000000000'

/** pid and state letter of processes whose command line contains `needle`. */
function procs(needle: string): { pid: number; state: string }[] {
  const out: { pid: number; state: string }[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (!cmd.startsWith(needle)) continue
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      out.push({ pid: Number(name), state: stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) })
    } catch {
      // gone meanwhile
    }
  }
  return out
}

function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state === 'Z' || state === 'X' ? null : state
  } catch {
    return null
  }
}

describe.skipIf(!claudeAvailable())('control of running tasks (real Claude Code CLI)', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  it('pause stops the agent process; resume continues it; interrupt leaves no process behind', async () => {
    // Claude Code runs its Bash tool in a session of its own (setsid), so a SIGSTOP to the agent's
    // process group does not reach tool children: see the report. What is checked here: the agent
    // itself stops and continues, and an interrupt ends it and its tools.
    const SLEEP = '37.25'
    h = await makeHarness({ scenario: { turns: [toolUse('Bash', { command: `echo begin; sleep ${SLEEP}; echo end` }), text('never')] } })
    await h.manager.spawn({ taskId: id(1), taskName: 'sleeper', plan: 'p' })
    const sleepers = await waitFor(() => procs(`sleep ${SLEEP}`).length > 0 && procs(`sleep ${SLEEP}`), { timeoutMs: 30_000, what: 'the tool child' })
    const agentPid = h.manager.agentPid(id(1))!
    expect(agentPid).toBeGreaterThan(0)
    expect(h.manager.pause(id(1))).toEqual({ ok: true, value: undefined })
    expect(h.manager.get(id(1))!.state).toBe('paused')
    await waitFor(() => procState(agentPid) === 'T', { what: 'agent stopped' })
    expect(h.manager.pause(id(1)).ok).toBe(true) // already paused: no-op
    expect(h.manager.resume(id(1))).toEqual({ ok: true, value: undefined })
    await waitFor(() => procState(agentPid) !== 'T', { what: 'agent continued' })
    expect(statusChanges(h.events, id(1)).slice(-2)).toEqual(['running->paused', 'paused->running'])

    await h.manager.interrupt(id(1))
    expect(procState(agentPid)).toBeNull()
    await waitFor(() => procs(`sleep ${SLEEP}`).length === 0, { what: 'no tool process left' })
    for (const p of sleepers) expect(() => process.kill(p.pid, 0)).toThrow()
    expect(h.manager.get(id(1))!.state).toBe('interrupted')
  }, 60_000)

  it('pause and resume are refused in the wrong state', async () => {
    h = await makeHarness()
    expect(h.manager.pause(id(99))).toMatchObject({ ok: false, code: 'not-found' })
    await h.manager.spawn({ taskId: id(2), taskName: 'quick', plan: 'p' })
    await waitFor(() => completeOf(h!.events, id(2)), { timeoutMs: 60_000 })
    expect(h.manager.pause(id(2))).toMatchObject({ ok: false, code: 'invalid-state' })
    expect(h.manager.resume(id(2))).toMatchObject({ ok: false, code: 'invalid-state' })
    expect(h.manager.sendMessage(id(2), 'hello?')).toMatchObject({ ok: false, code: 'no-process' })
  })

  it('a supervisor goes back to running after its agent exits and is resumed with --resume on a message', async () => {
    h = await makeHarness({
      scenario: {
        respond: (ctx) => (ctx.lastUserText.includes('second instruction') ? text('SECOND DONE') : undefined),
        turns: [toolUse('Bash', { command: 'echo "task=$MAKIMA_TASK_ID contract=$MAKIMA_CONTRACT_ID key=$MAKIMA_API_KEY"' }), text('FIRST DONE')],
      },
    })
    await h.manager.spawn({ taskId: id(3), taskName: 'sup', plan: 'Run the contract', isSupervisor: true, contractId: CONTRACT })
    const ready = () => h!.lines(id(3)).filter((l) => l.data.includes('[Supervisor ready for next instruction]')).length
    await waitFor(() => ready() === 1, { timeoutMs: 60_000, what: 'supervisor ready' })
    expect(h.manager.get(id(3))!.state).toBe('running')
    expect(completeOf(h.events, id(3))).toBeUndefined()
    const key = h.events.find((e) => e.type === 'registerToolKey')
    expect(key).toMatchObject({ taskId: id(3), key: expect.stringMatching(/^[0-9a-f]{64}$/) })
    // The env reached the agent's tools, and the key never reached the stored output.
    const all = h.lines(id(3)).map((l) => l.data).join('\n')
    expect(all).toContain(`task=${id(3)} contract=${CONTRACT} key=[REDACTED]`)
    expect(all).not.toContain((key as { key: string }).key)
    const session = h.manager.get(id(3))!.agentSessionId!

    expect(h.manager.sendMessage(id(3), 'second instruction')).toEqual({ ok: true, value: undefined })
    await waitFor(() => ready() === 2, { timeoutMs: 60_000, what: 'supervisor ready again' })
    const last = h.model.conversationRequests().at(-1)!.json as { messages: { content: unknown }[] }
    // --resume: the second run's request carries the first conversation.
    expect(JSON.stringify(last.messages)).toContain('Run the contract')
    expect(JSON.stringify(last.messages)).toContain('second instruction')
    expect(h.manager.get(id(3))!.agentSessionId).toBe(session)
    expect(statusChanges(h.events, id(3))).toEqual(['pending->initializing', 'initializing->starting', 'starting->running', 'running->starting', 'starting->running'])
    expect(h.manager.activeTaskIds()).toEqual([id(3)])
    expect(h.manager.runningCount()).toBe(0)
    // Ending a supervisor for good revokes its tool key.
    await h.manager.interrupt(id(3))
    expect(h.events.find((e) => e.type === 'revokeToolKey')).toEqual({ type: 'revokeToolKey', taskId: id(3) })
  })
})
