// Pause / resume / interrupt reach the agent's whole process group; supervisors wait for the next
// message; messages to a paused task resume it first.
import { readFileSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
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

function sessionOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]!
}

describe.skipIf(!claudeAvailable())('control of running tasks (real Claude Code CLI)', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  it('pause stops the agent process; resume continues it; interrupt leaves no process behind', async () => {
    // The agent itself stops and continues, and an interrupt ends it and its tools (the tools
    // themselves, in a session of their own, are covered by the next test).
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
    // Gone, or a zombie waiting for init to reap it (the whole tree ends at once, so a tool's
    // child can outlive its parent by a moment and be re-parented to init).
    for (const p of sleepers) expect(procState(p.pid)).toBeNull()
    expect(h.manager.get(id(1))!.state).toBe('interrupted')
  }, 60_000)

  it("pause stops the agent's Bash tool (started in a session of its own); interrupt leaves nothing behind", async () => {
    const MARK = 'tick-5193'
    const loop = `sh -c 'while :; do date +%s%N >> ${MARK}; sleep 0.05; done'`
    h = await makeHarness({ scenario: { turns: [toolUse('Bash', { command: loop }), text('never')] } })
    await h.manager.spawn({ taskId: id(4), taskName: 'ticker', plan: 'p' })
    const tick = await waitFor(() => h!.manager.get(id(4))?.worktreePath && join(h!.manager.get(id(4))!.worktreePath!, MARK), { timeoutMs: 30_000 })
    const lines = async () => (await readFile(tick, 'utf8').catch(() => '')).split('\n').length - 1
    await waitFor(async () => (await lines()) > 5, { timeoutMs: 60_000, what: 'the tool loop to tick' })
    const loopProcs = procs(`sh -c while :; do date +%s%N >> ${MARK}`)
    expect(loopProcs).toHaveLength(1)
    const shPid = loopProcs[0]!.pid
    // The proof that the group alone would not do: the tool runs in another session and group.
    const agentPid = h.manager.agentPid(id(4))!
    expect(sessionOf(shPid)).not.toBe(sessionOf(agentPid))

    expect(h.manager.pause(id(4))).toEqual({ ok: true, value: undefined })
    await waitFor(() => procState(shPid) === 'T' && procState(agentPid) === 'T', { what: 'the tool loop and the agent stopped' })
    const frozen = await lines()
    // A stopped loop writes nothing: let ten tick periods pass (polling real time, not sleeping).
    const until = Date.now() + 500
    await waitFor(() => Date.now() > until)
    expect(await lines()).toBe(frozen)

    expect(h.manager.resume(id(4)).ok).toBe(true)
    await waitFor(async () => (await lines()) > frozen + 3, { what: 'ticks after resume' })
    expect(procState(shPid)).not.toBe('T')

    h.manager.pause(id(4)) // an interrupt of a paused task ends everything too
    await h.manager.interrupt(id(4))
    expect(procState(agentPid)).toBeNull()
    expect(procState(shPid)).toBeNull()
    expect(procs(`sh -c while :; do date +%s%N >> ${MARK}`)).toEqual([])
    const after = await lines()
    const later = Date.now() + 300
    await waitFor(() => Date.now() > later)
    expect(await lines()).toBe(after)
    expect(h.manager.runningCount()).toBe(0)
  }, 90_000)

  it('pause and resume are refused in the wrong state', async () => {
    h = await makeHarness()
    expect(h.manager.pause(id(99))).toMatchObject({ ok: false, code: 'not-found' })
    await h.manager.spawn({ taskId: id(2), taskName: 'quick', plan: 'p' })
    await waitFor(() => completeOf(h!.events, id(2)), { timeoutMs: 60_000 })
    expect(h.manager.pause(id(2))).toMatchObject({ ok: false, code: 'invalid-state' })
    expect(h.manager.resume(id(2))).toMatchObject({ ok: false, code: 'invalid-state' })
    // (A message to it is a follow-up: see follow-up.test.ts.)
    expect(h.manager.sendMessage(id(98), 'hello?')).toMatchObject({ ok: false, code: 'not-found' })
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
