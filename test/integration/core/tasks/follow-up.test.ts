// Follow-up messages: typing into an ended task continues the same Claude Code conversation
// (--resume) in the same working directory, as a new run of the task.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ClaudeAgentPort } from '../../../../src-main/core/tasks/agent-port'
import type { TaskEvent } from '../../../../src-main/core/tasks/types'
import { claudeAvailable } from '../../../fixtures/claude-env'
import { FAKE_CLAUDE } from '../../../fixtures/fake-claude'
import { TempDirs, makeRepo } from '../../../fixtures/git/repos'
import { text, toolUse } from '../../../fixtures/model-server'
import { makeHarness, statusChanges, waitFor, type Harness, noticesOf } from './harness'

const id = (n: number) => `88888888-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`
const completions = (events: TaskEvent[], taskId: string) =>
  events.filter((e): e is Extract<TaskEvent, { type: 'taskComplete' }> => e.type === 'taskComplete' && e.taskId === taskId)

describe.skipIf(!claudeAvailable())('follow-up messages to ended tasks (real Claude Code CLI)', () => {
  let h: Harness | undefined
  const dirs = new TempDirs()
  afterEach(async () => {
    await h?.close()
    h = undefined
    dirs.cleanup()
  })

  it('a completed task continues its conversation: the model sees the first turn and writes a second file', async () => {
    h = await makeHarness({
      limits: { maxConcurrentTasks: 1, maxTasksPerContract: 1 },
      scenario: {
        turns: [toolUse('Write', { file_path: 'first.txt', content: 'one\n' }), text('FIRST DONE: wrote first.txt')],
        respond: (ctx) =>
          ctx.lastMessageHasToolResult ? text('SECOND DONE') : ctx.lastUserText.includes('now the second file') ? toolUse('Write', { file_path: 'second.txt', content: 'two\n' }) : undefined,
      },
    })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: id(1), taskName: 'two files', plan: 'Write first.txt with the word PELICAN in mind', repoUrl: repo })
    await waitFor(() => completions(h!.events, id(1)).length === 1, { timeoutMs: 60_000, what: 'the first completion' })
    expect(completions(h.events, id(1))[0]!.success).toBe(true)
    const first = h.tasks.get(id(1))!
    expect(first.state).toBe('completed')
    expect(h.manager.runningCount()).toBe(0)
    const dir = first.worktreePath!
    expect(readFileSync(join(dir, 'first.txt'), 'utf8')).toBe('one\n')
    const turnsBefore = h.model.conversationRequests().length

    expect(h.manager.sendMessage(id(1), 'Thanks. And now the second file please.')).toEqual({ ok: true, value: undefined })
    // The follow-up holds a concurrency slot while it runs (the cap is 1).
    expect(h.manager.runningCount()).toBe(1)
    expect(await h.manager.spawn({ taskId: id(2), taskName: 'blocked', plan: 'p' })).toMatchObject({ ok: false, code: 'concurrency-limit' })

    await waitFor(() => completions(h!.events, id(1)).length === 2, { timeoutMs: 60_000, what: 'the second completion' })
    expect(completions(h.events, id(1))[1]).toEqual({ type: 'taskComplete', taskId: id(1), success: true })
    expect(readFileSync(join(dir, 'second.txt'), 'utf8')).toBe('two\n')
    const rec = h.tasks.get(id(1))!
    expect(rec).toMatchObject({ state: 'completed', worktreePath: dir, agentSessionId: first.agentSessionId, errorMessage: null })
    expect(rec.agentPid).toBeUndefined()
    expect(statusChanges(h.events, id(1))).toEqual([
      'pending->initializing', 'initializing->starting', 'starting->running', 'completed->starting', 'starting->running',
    ])
    expect(h.manager.runningCount()).toBe(0)

    // --resume: the follow-up's first request carries the whole first conversation.
    const followUp = JSON.stringify((h.model.conversationRequests()[turnsBefore]!.json as { messages: unknown[] }).messages)
    expect(followUp).toContain('PELICAN')
    expect(followUp).toContain('first.txt')
    expect(followUp).toContain('FIRST DONE: wrote first.txt')
    expect(followUp).toContain('now the second file')
    // The user's follow-up is a user turn of the transcript (no notice about sessions).
    const userTurns = h.lines(id(1)).filter((l) => l.kind === 'user' && l.data.includes('"origin":"makima"')).map((l) => JSON.stringify(JSON.parse(l.data)))
    expect(userTurns.at(-1)).toContain('Thanks. And now the second file please.')
    expect(noticesOf(h, id(1)).some((n) => n.startsWith('Continuing the conversation'))).toBe(false)
    // The slot was released: another task may start.
    expect(await h.manager.spawn({ taskId: id(2), taskName: 'now free', plan: 'p' })).toMatchObject({ ok: true })
  }, 120_000)

  it('refuses without a session or a working directory, and a vanished worktree leaves the task as it ended', async () => {
    h = await makeHarness({ scenario: { turns: [text('DONE')] } })
    // Failed before any agent ran: no session to continue.
    await h.manager.spawn({ taskId: id(3), taskName: 'no repo', plan: 'p', repoUrl: join(h.root, 'no-such-repo') })
    await waitFor(() => completions(h!.events, id(3)).length === 1, { timeoutMs: 30_000 })
    expect(h.manager.get(id(3))!.state).toBe('failed')
    expect(h.manager.sendMessage(id(3), 'again?')).toEqual({
      ok: false, code: 'invalid-state', message: `Task ${id(3)} has ended (failed) and has no Claude Code session to continue`,
    })

    // Ended in an earlier run of the core, known only to the store, without a working directory.
    const now = new Date().toISOString()
    h.tasks.save({
      id: id(4), name: 'old', state: 'completed', plan: 'p', repoUrl: null, baseBranch: null, targetBranch: null, targetRepoPath: null,
      completionAction: null, parentTaskId: null, depth: 0, contractId: null, continueFromTaskId: null, copyFiles: null, isOrchestrator: false,
      isSupervisor: false, autonomousLoop: false, worktreePath: null, agentSessionId: '0b1f0a3e-1111-4222-8333-444455556666', patchBaseSha: null,
      spawnJson: JSON.stringify({ taskId: id(4), taskName: 'old', plan: 'p' }), errorMessage: null, exitCode: 0,
      createdAt: now, startedAt: now, completedAt: now, updatedAt: now,
    })
    expect(h.manager.sendMessage(id(4), 'hello?')).toEqual({
      ok: false, code: 'invalid-state', message: `Task ${id(4)} has ended (completed) and has no working directory to continue in`,
    })

    // A task that completed, whose worktree is deleted afterwards.
    await h.manager.spawn({ taskId: id(5), taskName: 'gone', plan: 'p' })
    await waitFor(() => completions(h!.events, id(5)).length === 1, { timeoutMs: 60_000 })
    const dir = h.tasks.get(id(5))!.worktreePath!
    rmSync(dir, { recursive: true, force: true })
    expect(await h.manager.sendMessageChecked(id(5), 'more')).toEqual({
      ok: false, code: 'invalid-state', message: `Task ${id(5)} has ended and its working directory ${dir} no longer exists; it cannot be continued`,
    })
    // The synchronous door accepts, then reports it in the output; the task stays completed.
    expect(h.manager.sendMessage(id(5), 'more').ok).toBe(true)
    await h.manager.settled(id(5))
    await h.log.flush()
    expect(h.lines(id(5)).map((l) => l.data)).toContain(`Cannot continue the task: its working directory ${dir} no longer exists.`)
    expect(h.manager.get(id(5))!.state).toBe('completed')
    expect(completions(h.events, id(5))).toHaveLength(1)
    expect(h.manager.runningCount()).toBe(0)
    expect(existsSync(dir)).toBe(false)
  }, 120_000)

  it('a message after the result, while the agent is still exiting, is kept and sent as a follow-up', async () => {
    h = await makeHarness({
      extraEnv: { FAKE_CLAUDE_SCENARIO: 'slow-exit', FAKE_CLAUDE_EXIT_DELAY_MS: '1500' },
      agents: ({ log, env }) => new ClaudeAgentPort({ command: FAKE_CLAUDE, output: log, versionEnv: env, killGraceMs: 1000 }),
    })
    await h.manager.spawn({ taskId: id(6), taskName: 'slow exit', plan: 'first words' })
    await waitFor(() => h!.lines(id(6)).some((l) => l.kind === 'result'), { timeoutMs: 30_000, what: 'the first result' })
    expect(h.manager.get(id(6))!.state).toBe('running') // stdin is closed, the process has not exited
    expect(h.manager.sendMessage(id(6), 'late words')).toEqual({ ok: true, value: undefined })
    await waitFor(() => completions(h!.events, id(6)).length === 2, { timeoutMs: 30_000, what: 'the follow-up to complete' })
    const data = h.lines(id(6)).map((l) => l.data)
    expect(data.some((d) => d.includes('"result":"echo: late words"'))).toBe(true)
    // The follow-up resumed the same session (the fake reports the --resume id as its session).
    const sessions = new Set(data.filter((d) => d.includes('"subtype":"init"')).map((d) => (JSON.parse(d) as { session_id: string }).session_id))
    expect(sessions.size).toBe(1)
    expect(statusChanges(h.events, id(6)).slice(-2)).toEqual(['completed->starting', 'starting->running'])
    expect(h.manager.get(id(6))!.state).toBe('completed')
    expect(h.manager.runningCount()).toBe(0)
  }, 60_000)
})
