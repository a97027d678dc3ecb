// The real OpenCode CLI (pinned opencode-ai) runs a task through the adapter layer against a scripted
// Responses API: it starts in a worktree, streams common events, writes a file with its own tool,
// finishes; a follow-up continues the same session; usage (and its cost) is recorded; a rejected
// key raises the sign-in prompt with OpenCode's hint.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TempDirs, makeRepo } from '../../../fixtures/git/repos'
import { OPENCODE_BIN, opencodeAvailable, opencodeEnv, opencodeScenario } from '../../../fixtures/opencode-env'
import type { AgentEnv } from '../../../fixtures/codex-env'
import { call, httpFailure, say, startResponsesServer, type ResponsesServer } from '../../../fixtures/openai-responses-server'
import { agentHarness, kindsOf, type AgentHarness } from './agent-harness'
import { completeOf, waitFor } from './harness'

const id = (n: number) => `77777777-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`

describe.skipIf(!opencodeAvailable())('OpenCode tasks (real CLI, scripted Responses API)', () => {
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

  it('runs in a worktree, writes a file with its own tool, finishes; a follow-up continues the session', async () => {
    model = await startResponsesServer(opencodeScenario([call('bash', { command: 'printf hi > oc.txt', description: 'write oc.txt' }), say('DONE'), say('AGAIN')]))
    env = await opencodeEnv({ baseUrl: model.url })
    h = await agentHarness({ agent: 'opencode', bin: OPENCODE_BIN, env })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: id(1), taskName: 'opencode', plan: 'write hi to oc.txt', repoUrl: repo, agent: 'opencode' })
    const first = await waitFor(() => completeOf(h!.events, id(1)), { timeoutMs: 120_000, what: 'opencode task' })
    if (!first.success) console.log(h.lines(id(1)).map((l) => `${l.kind}: ${l.data.slice(0, 300)}`).join('\n'))
    expect(first).toMatchObject({ success: true })
    const rec = h.tasks.get(id(1))!
    expect(rec.agent).toBe('opencode')
    expect(readFileSync(join(rec.worktreePath!, 'oc.txt'), 'utf8')).toBe('hi')
    expect(existsSync(join(repo, 'oc.txt'))).toBe(false)
    expect(kindsOf(h.agentEvents(id(1)))).toEqual(expect.arrayContaining(['session_started', 'tool_call', 'tool_result', 'text', 'usage', 'turn_completed']))
    const session = rec.agentSessionId
    expect(session).toMatch(/^ses_/)
    // Two steps (the call, then the answer), 100 in / 30 out each with 20 cached, and a cost.
    expect(rec).toMatchObject({ inputTokens: 200, outputTokens: 60, cachedInputTokens: 40 })
    expect(rec.costUsd).toBeGreaterThan(0)

    expect(h.manager.sendMessage(id(1), 'and again')).toMatchObject({ ok: true })
    await waitFor(() => h!.events.filter((e) => e.type === 'taskComplete' && e.taskId === id(1)).length === 2, { timeoutMs: 120_000, what: 'follow-up' })
    expect(h.tasks.get(id(1))).toMatchObject({ state: 'completed', agentSessionId: session })
    // Continued: the last request carries the first run's tool call and the follow-up.
    const input = JSON.stringify(model.requests.at(-1)!.json?.input)
    expect(input).toContain('printf hi > oc.txt')
    expect(input).toContain('and again')
  }, 300_000)

  it('a rejected API key raises the sign-in prompt for OpenCode, with its hint', async () => {
    model = await startResponsesServer({ fallback: httpFailure(401) })
    env = await opencodeEnv({ baseUrl: model.url, apiKey: 'sk-bad' })
    h = await agentHarness({ agent: 'opencode', bin: OPENCODE_BIN, env })
    await h.manager.spawn({ taskId: id(2), taskName: 'opencode', plan: 'p', repoUrl: makeRepo(dirs), agent: 'opencode' })
    const done = await waitFor(() => completeOf(h!.events, id(2)), { timeoutMs: 120_000, what: 'the failed run' })
    if (done.success || !h.events.some((e) => e.type === 'agentAuthRequired')) console.log(h.lines(id(2)).map((l) => `${l.kind}: ${l.data.slice(0, 300)}`).join('\n'))
    expect(done).toMatchObject({ success: false })
    expect(h.events.find((e) => e.type === 'agentAuthRequired')).toMatchObject({ taskId: id(2), agent: 'opencode', hint: expect.stringContaining('opencode auth login') })
  }, 300_000)
})
