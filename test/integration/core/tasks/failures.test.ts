// Every way a run can end frees its concurrency slot exactly once, and says why it failed.
import { afterEach, describe, expect, it } from 'vitest'
import { ClaudeAgentPort } from '../../../../src-main/core/tasks/agent-port'
import { CLAUDE_BIN, claudeAvailable } from '../../../fixtures/claude-env'
import { TempDirs, makeRepo } from '../../../fixtures/git/repos'
import { httpError, text, toolUse } from '../../../fixtures/model-server'
import { completeOf, makeHarness, statusChanges, waitFor, type Harness } from './harness'

const id = (n: number) => `22222222-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`
const ONE = { maxConcurrentTasks: 1, maxTasksPerContract: 1 }

describe.skipIf(!claudeAvailable())('failure paths (real Claude Code CLI)', () => {
  let h: Harness | undefined
  const dirs = new TempDirs()
  afterEach(async () => {
    await h?.close()
    h = undefined
    dirs.cleanup()
  })

  async function expectSlotFree(h: Harness, next: number): Promise<void> {
    expect(h.manager.runningCount()).toBe(0)
    // With a global cap of 1, a new task is accepted only if the slot really came back.
    const r = await h.manager.spawn({ taskId: id(next), taskName: 'next', plan: 'say OK' })
    expect(r.ok).toBe(true)
    await waitFor(() => completeOf(h.events, id(next)), { timeoutMs: 60_000, what: 'next task' })
  }

  it('refuses a second task at the global cap, and re-spawn of an active task', async () => {
    h = await makeHarness({ limits: ONE, scenario: { turns: [text('A', { delayMs: 1500 })], fallback: text('OK') } })
    expect((await h.manager.spawn({ taskId: id(1), taskName: 'a', plan: 'p' })).ok).toBe(true)
    expect(await h.manager.spawn({ taskId: id(1), taskName: 'a', plan: 'p' })).toMatchObject({ ok: false, code: 'already-exists' })
    expect(await h.manager.spawn({ taskId: id(2), taskName: 'b', plan: 'p' })).toMatchObject({ ok: false, code: 'concurrency-limit' })
    await waitFor(() => completeOf(h!.events, id(1)), { timeoutMs: 60_000 })
    // Terminal: the same id may be spawned again.
    expect((await h.manager.spawn({ taskId: id(1), taskName: 'a', plan: 'p' })).ok).toBe(true)
    await waitFor(() => h!.events.filter((e) => e.type === 'taskComplete' && e.taskId === id(1)).length === 2, { timeoutMs: 60_000 })
    expect(h.manager.runningCount()).toBe(0)
  })

  it('setup failure (not a repository) → failed with the reason, slot freed', async () => {
    h = await makeHarness({ limits: ONE })
    const notRepo = dirs.make()
    await h.manager.spawn({ taskId: id(10), taskName: 'bad', plan: 'p', repoUrl: notRepo })
    const c = await waitFor(() => completeOf(h!.events, id(10)))
    expect(c.success).toBe(false)
    expect(c.error).toMatch(/^Setup failed: /)
    expect(h.tasks.get(id(10))!.state).toBe('failed')
    expect(statusChanges(h.events, id(10))).toEqual(['pending->initializing'])
    await expectSlotFree(h, 11)
  })

  it('continue-from a task with no worktree → failed, slot freed', async () => {
    h = await makeHarness({ limits: ONE })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: id(20), taskName: 'c', plan: 'p', repoUrl: repo, continueFromTaskId: id(99) })
    const c = await waitFor(() => completeOf(h!.events, id(20)))
    expect(c.error).toMatch(/Cannot continue from task .*99: no worktree found/)
    await expectSlotFree(h, 21)
  })

  it('Claude Code missing → failed "Claude Code not available", slot freed', async () => {
    let port: ClaudeAgentPort | undefined
    h = await makeHarness({
      limits: ONE,
      agents: ({ log, env }) => {
        port = new ClaudeAgentPort({ command: '/nonexistent/claude', output: log, versionEnv: env })
        return {
          checkVersion: () => (swap ? new ClaudeAgentPort({ command: CLAUDE_BIN, output: log, versionEnv: env }).checkVersion() : port!.checkVersion()),
          launch: async (spec, onLine) => new ClaudeAgentPort({ command: CLAUDE_BIN, output: log }).launch(spec, onLine),
        }
      },
    })
    let swap = false
    await h.manager.spawn({ taskId: id(30), taskName: 'v', plan: 'p' })
    const c = await waitFor(() => completeOf(h!.events, id(30)))
    expect(c.error).toMatch(/^Claude Code not available: Claude Code was not found/)
    expect(statusChanges(h.events, id(30))).toEqual(['pending->initializing', 'initializing->starting'])
    swap = true
    await expectSlotFree(h, 31)
  })

  it('agent error result (401) → failed with the CLI message, auth reported, slot freed', async () => {
    h = await makeHarness({ limits: ONE, scenario: { turns: [httpError(401, 'OAuth token has expired. Please obtain a new token or refresh your existing token.', 'authentication_error')], fallback: text('OK') } })
    await h.manager.spawn({ taskId: id(40), taskName: 'auth', plan: 'p' })
    const c = await waitFor(() => completeOf(h!.events, id(40)), { timeoutMs: 60_000 })
    expect(c.success).toBe(false)
    expect(c.error).toMatch(/^Exit code 1: .*401/)
    // No login flow wired: the plain instruction, once.
    const notices = h.lines(id(40)).filter((l) => l.kind === 'notice' && l.data.startsWith('Authentication required on daemon'))
    expect(notices).toHaveLength(1)
    await expectSlotFree(h, 41)
  })

  it('an auth error with a login flow emits authenticationRequired', async () => {
    h = await makeHarness({
      scenario: { turns: [httpError(401, 'invalid x-api-key', 'authentication_error')] },
      auth: { requestLogin: async () => ({ loginUrl: 'https://claude.ai/oauth/authorize?code=true' }), submitCode: () => true },
    })
    await h.manager.spawn({ taskId: id(50), taskName: 'auth', plan: 'p' })
    await waitFor(() => completeOf(h!.events, id(50)), { timeoutMs: 60_000 })
    const ev = await waitFor(() => h!.events.find((e) => e.type === 'authenticationRequired'))
    expect(ev).toMatchObject({ type: 'authenticationRequired', taskId: id(50), loginUrl: 'https://claude.ai/oauth/authorize?code=true' })
    expect(h.manager.sendMessage(id(50), 'AUTH_CODE: abc#def')).toEqual({ ok: true, value: undefined })
  })

  it('the agent dies mid-run (killed) → failed, slot freed', async () => {
    h = await makeHarness({ limits: ONE, scenario: { turns: [toolUse('Bash', { command: 'kill -9 $PPID; sleep 5' }), text('never')], fallback: text('OK') } })
    await h.manager.spawn({ taskId: id(60), taskName: 'crash', plan: 'p' })
    const c = await waitFor(() => completeOf(h!.events, id(60)), { timeoutMs: 60_000 })
    expect(c.success).toBe(false)
    expect(c.error).toMatch(/SIGKILL|Exit code/)
    await expectSlotFree(h, 61)
  })

  it('interrupt → interrupted at once, no taskComplete, slot freed', async () => {
    h = await makeHarness({ limits: ONE, scenario: { turns: [toolUse('Bash', { command: 'echo begin; sleep 30; echo end' }), text('never')], fallback: text('OK') } })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: id(70), taskName: 'long', plan: 'p', repoUrl: repo })
    await waitFor(() => h!.manager.get(id(70))?.state === 'running' && h!.model.conversationRequests().length >= 1, { timeoutMs: 60_000 })
    expect(await h.manager.interrupt(id(70))).toEqual({ ok: true, value: undefined })
    expect(h.tasks.get(id(70))!.state).toBe('interrupted')
    expect(statusChanges(h.events, id(70)).at(-1)).toBe('running->interrupted')
    expect(completeOf(h.events, id(70))).toBeUndefined()
    expect(await h.manager.interrupt(id(70))).toEqual({ ok: true, value: undefined }) // no-op when terminal
    await expectSlotFree(h, 71)
  })
})
