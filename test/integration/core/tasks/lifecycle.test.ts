// The task lifecycle against the REAL Claude Code CLI and a scripted model.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { claudeAvailable } from '../../../fixtures/claude-env'
import { TempDirs, git, makeRepo } from '../../../fixtures/git/repos'
import { text, toolUse } from '../../../fixtures/model-server'
import { completeOf, makeHarness, statusChanges, waitFor, type Harness } from './harness'

const ID1 = '11111111-aaaa-4bbb-8ccc-000000000001'

describe.skipIf(!claudeAvailable())('task lifecycle with the real Claude Code CLI', () => {
  let h: Harness | undefined
  const dirs = new TempDirs()
  afterEach(async () => {
    await h?.close()
    h = undefined
    dirs.cleanup()
  })

  it('spawn → initializing → starting → running → completed, a file written in the worktree', async () => {
    h = await makeHarness({ scenario: { turns: [toolUse('Write', { file_path: 'hello.txt', content: 'hi from the agent\n' }), text('DONE')] } })
    const repo = makeRepo(dirs)
    const r = await h.manager.spawn({ taskId: ID1, taskName: 'Say hello', plan: 'Write hello.txt', repoUrl: repo, baseBranch: 'main' })
    expect(r).toEqual({ ok: true, value: { taskId: ID1 } })
    const done = await waitFor(() => completeOf(h!.events, ID1), { timeoutMs: 60_000, what: 'taskComplete' })
    if (!done.success) console.log(h.lines(ID1).map((l) => `${l.kind}: ${l.data.slice(0, 300)}`).join('\n'))
    expect(done).toEqual({ type: 'taskComplete', taskId: ID1, success: true })
    expect(statusChanges(h.events, ID1)).toEqual(['pending->initializing', 'initializing->starting', 'starting->running'])

    const rec = h.tasks.get(ID1)!
    expect(rec.state).toBe('completed')
    expect(rec.worktreePath).toBeTruthy()
    expect(rec.worktreePath).not.toBe(repo)
    expect(readFileSync(join(rec.worktreePath!, 'hello.txt'), 'utf8')).toBe('hi from the agent\n')
    expect(existsSync(join(repo, 'hello.txt'))).toBe(false)
    expect(rec.agentSessionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(git(rec.worktreePath!, 'branch', '--show-current')).toMatch(/^makima\/say-hello-11111111$/)

    const lines = h.lines(ID1)
    const notices = lines.filter((l) => l.kind === 'notice').map((l) => l.data)
    expect(notices).toContain(`Worktree ready at ${rec.worktreePath}`)
    expect(notices.some((n) => /^Claude Code \d+\.\d+\.\d+ ready$/.test(n))).toBe(true)
    expect(notices).toContain('Starting Claude Code (~6 tokens)...')
    expect(lines.some((l) => l.kind === 'system' && l.data.includes('"subtype":"init"'))).toBe(true)
    expect(lines.some((l) => l.kind === 'result')).toBe(true)
    // The mode prompt reached the model as an appended system prompt.
    const sys = JSON.stringify(h.model.conversationRequests()[0]!.json)
    expect(sys).toContain('You are one task among several')
    expect(h.manager.runningCount()).toBe(0)
    expect(h.manager.activeTaskIds()).toEqual([])
    expect(h.manager.timings(ID1)!.firstOutputMs).toBeGreaterThan(0)
  })
})
