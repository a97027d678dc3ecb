// The real Codex CLI (pinned @openai/codex) runs a task through the adapter layer against a scripted
// Responses API: it starts in a worktree, streams common events, writes a file with its own tool,
// finishes; a follow-up resumes the same thread; usage is recorded; a 401 raises the sign-in prompt.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { codexAvailable, codexEnv, type AgentEnv } from '../../../fixtures/codex-env'
import { TempDirs, git, makeRepo } from '../../../fixtures/git/repos'
import { call, httpFailure, say, startResponsesServer, type ResponsesServer } from '../../../fixtures/openai-responses-server'
import { CODEX_BIN } from '../../../fixtures/codex-env'
import { agentHarness, kindsOf, type AgentHarness } from './agent-harness'
import { completeOf, waitFor } from './harness'

const id = (n: number) => `44444444-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`

describe.skipIf(!codexAvailable())('Codex CLI tasks (real CLI, scripted Responses API)', () => {
  let h: AgentHarness | undefined
  let model: ResponsesServer | undefined
  let env: AgentEnv | undefined
  const dirs = new TempDirs()
  afterEach(async () => {
    await h?.close()
    await model?.close()
    await env?.cleanup()
    h = model = env = undefined
    dirs.cleanup()
  })

  it('runs in a worktree, writes a file with its own tool, finishes; a follow-up resumes the thread', async () => {
    model = await startResponsesServer({ turns: [call('exec_command', { cmd: 'printf hi > codex.txt' }), say('DONE'), say('AGAIN')] })
    env = await codexEnv({ baseUrl: model.url })
    h = await agentHarness({ agent: 'codex', bin: CODEX_BIN, env })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: id(1), taskName: 'codex', plan: 'write hi to codex.txt', repoUrl: repo, agent: 'codex' })
    const first = await waitFor(() => completeOf(h!.events, id(1)), { timeoutMs: 90_000, what: 'codex task' })
    expect(first).toMatchObject({ success: true })
    const rec = h.tasks.get(id(1))!
    expect(rec.agent).toBe('codex')
    const dir = rec.worktreePath!
    expect(dir).not.toBe(repo)
    expect(readFileSync(join(dir, 'codex.txt'), 'utf8')).toBe('hi')
    expect(existsSync(join(repo, 'codex.txt'))).toBe(false)
    expect(git(dir, 'status', '--porcelain')).toContain('codex.txt')
    expect(kindsOf(h.agentEvents(id(1)))).toEqual(expect.arrayContaining(['session_started', 'tool_call', 'tool_result', 'text', 'usage', 'turn_completed']))
    const thread = rec.agentSessionId
    expect(thread).toMatch(/^[0-9a-f-]{36}$/)
    expect(rec).toMatchObject({ inputTokens: 240, outputTokens: 60, cachedInputTokens: 40 })
    // The mode prompt and the plan reached the model as the first user message.
    expect(JSON.stringify(model.requests[0]!.json?.input)).toContain('write hi to codex.txt')

    expect(h.manager.sendMessage(id(1), 'and again')).toMatchObject({ ok: true })
    await waitFor(() => h!.events.filter((e) => e.type === 'taskComplete' && e.taskId === id(1)).length === 2, { timeoutMs: 90_000, what: 'follow-up' })
    expect(h.tasks.get(id(1))).toMatchObject({ state: 'completed', agentSessionId: thread, inputTokens: 360 })
    // Resumed: the third request carries the first run's tool call and the follow-up.
    const input = JSON.stringify(model.requests[2]!.json?.input)
    expect(input).toContain('printf hi > codex.txt')
    expect(input).toContain('and again')
  })

  it('an autonomous loop with the completion gate completes on Codex (iteration 2 resumes the thread)', async () => {
    const gate = (ready: boolean) => `Progress.\n<COMPLETION_GATE>\nready: ${ready}\nreason: ${ready ? 'all done' : 'more to do'}\n</COMPLETION_GATE>`
    model = await startResponsesServer({ turns: [say(gate(false)), say(gate(true))] })
    env = await codexEnv({ baseUrl: model.url })
    h = await agentHarness({ agent: 'codex', bin: CODEX_BIN, env })
    await h.manager.spawn({ taskId: id(3), taskName: 'loop', plan: 'loop until done', agent: 'codex', autonomousLoop: true })
    const done = await waitFor(() => completeOf(h!.events, id(3)), { timeoutMs: 90_000, what: 'loop' })
    expect(done.success).toBe(true)
    await h.log.flush()
    const notices = h.lines(id(3)).filter((l) => l.kind === 'notice').map((l) => l.data)
    expect(notices.some((n) => n.includes('COMPLETION_GATE ready=false'))).toBe(true)
    expect(notices.some((n) => n.includes('Task completed after 2 iteration(s). Reason: all done'))).toBe(true)
    expect(model.requests).toHaveLength(2)
    expect(JSON.stringify(model.requests[1]!.json?.input)).toContain('loop until done') // the same thread
  })

  it('a rejected API key raises the sign-in prompt for Codex, with the API key hint', async () => {
    model = await startResponsesServer({ fallback: httpFailure(401) })
    env = await codexEnv({ baseUrl: model.url })
    h = await agentHarness({ agent: 'codex', bin: CODEX_BIN, env })
    await h.manager.spawn({ taskId: id(2), taskName: 'codex-auth', plan: 'p', agent: 'codex' })
    const done = await waitFor(() => completeOf(h!.events, id(2)), { timeoutMs: 60_000 })
    expect(done.success).toBe(false)
    expect(done.error).toContain('401')
    const ev = await waitFor(() => h!.events.find((e) => e.type === 'agentAuthRequired'))
    expect(ev).toMatchObject({ taskId: id(2), agent: 'codex', hint: expect.stringContaining('OPENAI_API_KEY') })
  })
})
