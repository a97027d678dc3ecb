// The real Gemini CLI (pinned @google/gemini-cli) runs a task through the adapter layer against a
// scripted Gemini API: it starts in a worktree, streams common events, writes a file with its own
// tool, finishes; a follow-up resumes the same session; usage is recorded; a rejected key raises the
// sign-in prompt with the API key hint.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AgentEnv } from '../../../fixtures/codex-env'
import { GEMINI_BIN, geminiAvailable, geminiEnv } from '../../../fixtures/gemini-env'
import { gcall, gsay, startGeminiServer, type GeminiServer } from '../../../fixtures/gemini-server'
import { TempDirs, git, makeRepo } from '../../../fixtures/git/repos'
import { agentHarness, kindsOf, type AgentHarness } from './agent-harness'
import { completeOf, waitFor } from './harness'

const id = (n: number) => `55555555-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`

describe.skipIf(!geminiAvailable())('Gemini CLI tasks (real CLI, scripted Gemini API)', () => {
  let h: AgentHarness | undefined
  let model: GeminiServer | undefined
  let env: AgentEnv | undefined
  const dirs = new TempDirs()
  afterEach(async () => {
    await h?.close()
    await model?.close()
    await env?.cleanup()
    h = model = env = undefined
    dirs.cleanup()
  })

  it('runs in a worktree, writes a file with its own tool, finishes; a follow-up resumes the session', async () => {
    model = await startGeminiServer({ turns: [gcall('write_file', { file_path: 'gemini.txt', content: 'hi' }), gsay('DONE'), gsay('AGAIN')], requireKey: 'test-key' })
    env = await geminiEnv({ baseUrl: model.url, apiKey: 'test-key' })
    h = await agentHarness({ agent: 'gemini', bin: GEMINI_BIN, env })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: id(1), taskName: 'gemini', plan: 'write hi to gemini.txt', repoUrl: repo, agent: 'gemini' })
    const first = await waitFor(() => completeOf(h!.events, id(1)), { timeoutMs: 90_000, what: 'gemini task' })
    expect(first).toMatchObject({ success: true })
    const rec = h.tasks.get(id(1))!
    expect(rec.agent).toBe('gemini')
    const dir = rec.worktreePath!
    expect(readFileSync(join(dir, 'gemini.txt'), 'utf8')).toBe('hi')
    expect(existsSync(join(repo, 'gemini.txt'))).toBe(false)
    expect(git(dir, 'status', '--porcelain')).toContain('gemini.txt')
    expect(kindsOf(h.agentEvents(id(1)))).toEqual(expect.arrayContaining(['session_started', 'tool_call', 'file_change', 'tool_result', 'text', 'usage', 'turn_completed']))
    const session = rec.agentSessionId
    expect(session).toMatch(/^[0-9a-f-]{36}$/)
    expect(rec.inputTokens).toBeGreaterThan(0)
    expect(rec.outputTokens).toBeGreaterThan(0)
    const firstInput = rec.inputTokens!

    expect(h.manager.sendMessage(id(1), 'and again')).toMatchObject({ ok: true })
    await waitFor(() => h!.events.filter((e) => e.type === 'taskComplete' && e.taskId === id(1)).length === 2, { timeoutMs: 90_000, what: 'follow-up' })
    const after = h.tasks.get(id(1))!
    expect(after).toMatchObject({ state: 'completed', agentSessionId: session })
    expect(after.inputTokens!).toBeGreaterThan(firstInput) // summed over runs
    // Resumed: the last conversation request carries the first run's tool call and the follow-up.
    const contents = JSON.stringify(model.conversation.at(-1)!.json?.contents)
    expect(contents).toContain('"functionCall"')
    expect(contents).toContain('and again')
  })

  it('an autonomous loop with the completion gate completes on Gemini', async () => {
    const gate = (ready: boolean) => `Progress.\n<COMPLETION_GATE>\nready: ${ready}\nreason: ${ready ? 'all done' : 'more to do'}\n</COMPLETION_GATE>`
    model = await startGeminiServer({ turns: [gsay(gate(false)), gsay(gate(true))] })
    env = await geminiEnv({ baseUrl: model.url })
    h = await agentHarness({ agent: 'gemini', bin: GEMINI_BIN, env })
    await h.manager.spawn({ taskId: id(3), taskName: 'loop', plan: 'loop until done', agent: 'gemini', autonomousLoop: true })
    const done = await waitFor(() => completeOf(h!.events, id(3)), { timeoutMs: 90_000, what: 'loop' })
    expect(done.success).toBe(true)
    await h.log.flush()
    const notices = h.lines(id(3)).filter((l) => l.kind === 'notice').map((l) => l.data)
    expect(notices.some((n) => n.includes('COMPLETION_GATE ready=false'))).toBe(true)
    expect(notices.some((n) => n.includes('Task completed after 2 iteration(s). Reason: all done'))).toBe(true)
    expect(JSON.stringify(model.conversation.at(-1)!.json?.contents)).toContain('loop until done') // resumed
  })

  it('a rejected API key raises the sign-in prompt for Gemini, with the API key hint', async () => {
    model = await startGeminiServer({ requireKey: 'the-right-key' })
    env = await geminiEnv({ baseUrl: model.url, apiKey: 'a-wrong-key' })
    h = await agentHarness({ agent: 'gemini', bin: GEMINI_BIN, env })
    await h.manager.spawn({ taskId: id(2), taskName: 'gemini-auth', plan: 'p', agent: 'gemini' })
    const done = await waitFor(() => completeOf(h!.events, id(2)), { timeoutMs: 60_000 })
    expect(done.success).toBe(false)
    const ev = await waitFor(() => h!.events.find((e) => e.type === 'agentAuthRequired'))
    expect(ev).toMatchObject({ taskId: id(2), agent: 'gemini', hint: expect.stringContaining('GEMINI_API_KEY') })
  })
})
