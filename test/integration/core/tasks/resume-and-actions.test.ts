// Resume paths (stale session id → fresh session; lost worktree → history in the first message),
// heartbeat commits, completion actions, messages to a paused task, shutdown.
import { afterEach, describe, expect, it } from 'vitest'
import { claudeAvailable } from '../../../fixtures/claude-env'
import { TempDirs, git, makeRepo } from '../../../fixtures/git/repos'
import { text, toolUse } from '../../../fixtures/model-server'
import { completeOf, makeHarness, procsStartingWith, statusChanges, waitFor, type Harness, noticesOf } from './harness'

const id = (n: number) => `77777777-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`
const messagesOf = (h: Harness, i: number) => JSON.stringify((h.model.conversationRequests()[i]!.json as { messages: unknown[] }).messages)

describe.skipIf(!claudeAvailable())('resume, heartbeat, completion actions, shutdown (real Claude Code CLI)', () => {
  let h: Harness | undefined
  const dirs = new TempDirs()
  afterEach(async () => {
    await h?.close()
    h = undefined
    dirs.cleanup()
  })
  const notices = (taskId: string) => noticesOf(h!, taskId)

  it('a stored session that no longer exists falls back to a fresh session with the plan', async () => {
    h = await makeHarness({ scenario: { fallback: text('OK') } })
    const repo = makeRepo(dirs)
    const req = { taskId: id(1), taskName: 'again', plan: 'Plan ZEBRA', repoUrl: repo }
    await h.manager.spawn(req)
    await waitFor(() => completeOf(h!.events, id(1)), { timeoutMs: 60_000 })
    const rec = h.tasks.get(id(1))!
    h.tasks.save({ ...rec, agentSessionId: '00000000-0000-4000-8000-000000000000' }) // e.g. another machine's
    await h.manager.spawn({ ...req, resumeSession: true })
    await waitFor(() => h!.events.filter((e) => e.type === 'taskComplete' && e.taskId === id(1)).length === 2, { timeoutMs: 60_000 })
    expect(h.events.filter((e) => e.type === 'taskComplete' && e.taskId === id(1)).at(-1)).toMatchObject({ success: true })
    const n = notices(id(1))
    expect(n).toContain(`Resuming session in existing worktree: ${rec.worktreePath}`)
    expect(n).toContain('Session 00000000-0000-4000-8000-000000000000 was not found; starting a fresh session with the plan.')
    expect(h.tasks.get(id(1))!.agentSessionId).not.toBe('00000000-0000-4000-8000-000000000000')
    expect(messagesOf(h, h.model.conversationRequests().length - 1)).toContain('Plan ZEBRA')
  })

  it('a resume without a worktree puts the conversation history into the first message', async () => {
    h = await makeHarness()
    await h.manager.spawn({
      taskId: id(2), taskName: 'hist', plan: 'Finish the OTTER report', resumeSession: true,
      conversationHistory: [{ role: 'user', content: 'earlier question about OTTERS' }, { role: 'assistant', content: 'earlier answer' }],
    })
    await waitFor(() => completeOf(h!.events, id(2)), { timeoutMs: 60_000 })
    expect(notices(id(2))).toContain('Worktree not found. Resuming with the conversation history injected...')
    const m = messagesOf(h, 0)
    expect(m).toContain('<conversation_history>')
    expect(m).toContain('earlier question about OTTERS')
    expect(m).toContain('Finish the OTTER report')
  })

  it('heartbeat commits on the configured interval for repository tasks', async () => {
    h = await makeHarness({
      heartbeatCommitIntervalSecs: 0.3,
      scenario: { turns: [toolUse('Bash', { command: 'echo work > wip.txt; sleep 1.7; echo done' }), text('DONE')] },
    })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: id(3), taskName: 'beat', plan: 'p', repoUrl: repo })
    await waitFor(() => completeOf(h!.events, id(3)), { timeoutMs: 60_000 })
    const cp = h.events.find((e) => e.type === 'checkpointCreated')
    expect(cp).toMatchObject({ type: 'checkpointCreated', taskId: id(3), success: true, commitSha: expect.stringMatching(/^[0-9a-f]{40}$/), message: expect.stringMatching(/^\[WIP\] Heartbeat checkpoint - /), patchData: expect.any(String) })
    const wt = h.tasks.get(id(3))!.worktreePath!
    expect(git(wt, 'log', '-1', '--format=%s')).toMatch(/^\[WIP\] Heartbeat checkpoint/)
    expect(notices(id(3)).some((n) => /^\[Heartbeat\] WIP checkpoint [0-9a-f]{8} \(local only\)$/.test(n))).toBe(true)
  })

  it('completion action: branch pushed to the target repo; a failing action leaves the task completed', async () => {
    h = await makeHarness({ scenario: { turns: [toolUse('Write', { file_path: 'feature.txt', content: 'feature\n' }), text('DONE')], fallback: text('OK') } })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: id(4), taskName: 'Ship it', plan: 'p', repoUrl: repo, completionAction: 'branch', targetRepoPath: repo })
    expect(await waitFor(() => completeOf(h!.events, id(4)), { timeoutMs: 60_000 })).toMatchObject({ success: true })
    expect(h.events.find((e) => e.type === 'completionActionResult')).toMatchObject({ taskId: id(4), success: true, message: expect.stringContaining("Branch 'makima/ship-it-77777777' pushed") })
    expect(git(repo, 'show', 'makima/ship-it-77777777:feature.txt')).toBe('feature')

    await h.manager.spawn({ taskId: id(5), taskName: 'Merge it', plan: 'p', repoUrl: repo, completionAction: 'merge', targetRepoPath: '/nonexistent/target' })
    expect(await waitFor(() => completeOf(h!.events, id(5)), { timeoutMs: 60_000 })).toMatchObject({ success: true })
    expect(h.events.find((e) => e.type === 'completionActionResult' && e.taskId === id(5))).toMatchObject({ success: false })
    expect(h.tasks.get(id(5))!.state).toBe('completed')
    expect(notices(id(5)).some((n) => n.startsWith("Completion action 'merge' failed (the task stays completed)"))).toBe(true)
  })

  it('a message to a paused task resumes it first', async () => {
    h = await makeHarness({ scenario: { turns: [toolUse('Bash', { command: 'echo begin; sleep 2.3; echo end' }), text('DONE')], fallback: text('OK') } })
    await h.manager.spawn({ taskId: id(6), taskName: 'msg', plan: 'p' })
    await waitFor(() => procsStartingWith('sleep 2.3').length > 0, { timeoutMs: 60_000 })
    expect(h.manager.pause(id(6)).ok).toBe(true)
    expect(h.manager.sendMessage(id(6), 'also do PENGUIN')).toEqual({ ok: true, value: undefined })
    expect(h.manager.get(id(6))!.state).toBe('running')
    expect(statusChanges(h.events, id(6)).slice(-2)).toEqual(['running->paused', 'paused->running'])
    await waitFor(() => completeOf(h!.events, id(6)), { timeoutMs: 60_000 })
    expect(h.model.conversationRequests().some((r) => JSON.stringify(r.json).includes('also do PENGUIN'))).toBe(true)
  })

  it('shutdown stops every agent and leaves the tasks active for the next start', async () => {
    h = await makeHarness({ scenario: { turns: [toolUse('Bash', { command: 'echo begin; sleep 44.5; echo end' })] } })
    await h.manager.spawn({ taskId: id(7), taskName: 'long', plan: 'p' })
    await waitFor(() => procsStartingWith('sleep 44.5').length > 0, { timeoutMs: 60_000 })
    const pid = h.manager.agentPid(id(7))!
    await h.manager.shutdown()
    expect(() => process.kill(pid, 0)).toThrow()
    expect(h.tasks.get(id(7))!.state).toBe('running')
    expect(completeOf(h.events, id(7))).toBeUndefined()
    expect(await h.manager.spawn({ taskId: id(8), taskName: 'late', plan: 'p' })).toMatchObject({ ok: false, code: 'shutting-down' })
  })
})
