// Codex and Gemini under the bubblewrap sandbox (real CLIs, scripted models): each agent's own config
// home (~/.codex, ~/.gemini) is writable like Claude's, so a sandboxed task runs, writes in its
// worktree and finishes — and a follow-up resumes the session the CLI stored there — while a
// write outside the worktree fails.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CODEX_BIN, codexAvailable, codexEnv, type AgentEnv } from '../../../fixtures/codex-env'
import { gcall, gsay, startGeminiServer } from '../../../fixtures/gemini-server'
import { GEMINI_BIN, geminiAvailable, geminiEnv } from '../../../fixtures/gemini-env'
import { TempDirs, makeRepo } from '../../../fixtures/git/repos'
import { call, say, startResponsesServer } from '../../../fixtures/openai-responses-server'
import { bwrapAvailable } from '../../../fixtures/tools'
import { agentHarness, type AgentHarness } from './agent-harness'
import { completeOf, waitFor } from './harness'

const id = (n: number) => `66666666-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`

describe.runIf(bwrapAvailable())('sandboxed Codex and Gemini tasks (bubblewrap)', () => {
  let h: AgentHarness | undefined
  let close: (() => Promise<void>) | undefined
  let env: AgentEnv | undefined
  const dirs = new TempDirs()
  afterEach(async () => {
    await h?.close()
    await close?.()
    await env?.cleanup()
    h = close = env = undefined
    dirs.cleanup()
  })

  it.runIf(codexAvailable())('Codex: runs boxed, writes inside, cannot write outside; a follow-up resumes its thread', async () => {
    const outside = join(dirs.make(), 'outside.txt')
    const model = await startResponsesServer({ turns: [call('exec_command', { cmd: `printf boxed > codex.txt; printf x > ${outside}; echo rc=$?` }), say('DONE'), say('AGAIN')] })
    close = () => model.close()
    env = await codexEnv({ baseUrl: model.url })
    h = await agentHarness({ agent: 'codex', bin: CODEX_BIN, env, sandbox: true })
    await h.manager.spawn({ taskId: id(1), taskName: 'boxed codex', plan: 'write codex.txt', repoUrl: makeRepo(dirs), agent: 'codex' })
    expect(await waitFor(() => completeOf(h!.events, id(1)), { timeoutMs: 90_000, what: 'the boxed codex task' })).toMatchObject({ success: true })
    const rec = h.tasks.get(id(1))!
    expect(readFileSync(join(rec.worktreePath!, 'codex.txt'), 'utf8')).toBe('boxed')
    expect(existsSync(outside)).toBe(false)
    expect(JSON.stringify(model.requests[1]!.json?.input)).toMatch(/Read-only file system/)
    // The thread was stored in ~/.codex (writable in the box): the follow-up resumes it.
    expect(h.manager.sendMessage(id(1), 'and again')).toMatchObject({ ok: true })
    await waitFor(() => h!.events.filter((e) => e.type === 'taskComplete' && e.taskId === id(1)).length === 2, { timeoutMs: 90_000, what: 'the boxed follow-up' })
    expect(h.tasks.get(id(1))).toMatchObject({ state: 'completed', agentSessionId: rec.agentSessionId })
    expect(JSON.stringify(model.requests[2]!.json?.input)).toContain('and again')
  }, 240_000)

  it.runIf(geminiAvailable())('Gemini: runs boxed, writes inside, cannot write outside; a follow-up resumes its session', async () => {
    const outside = join(dirs.make(), 'outside.txt')
    const model = await startGeminiServer({ turns: [gcall('run_shell_command', { command: `printf boxed > gemini.txt; printf x > ${outside}; echo rc=$?` }), gsay('DONE'), gsay('AGAIN')] })
    close = () => model.close()
    env = await geminiEnv({ baseUrl: model.url })
    h = await agentHarness({ agent: 'gemini', bin: GEMINI_BIN, env, sandbox: true })
    await h.manager.spawn({ taskId: id(2), taskName: 'boxed gemini', plan: 'write gemini.txt', repoUrl: makeRepo(dirs), agent: 'gemini' })
    const done = await waitFor(() => completeOf(h!.events, id(2)), { timeoutMs: 120_000, what: 'the boxed gemini task' })
    if (!done.success) console.log(h.lines(id(2)).map((l) => `${l.kind}: ${l.data.slice(0, 300)}`).join('\n'))
    expect(done).toMatchObject({ success: true })
    const rec = h.tasks.get(id(2))!
    expect(readFileSync(join(rec.worktreePath!, 'gemini.txt'), 'utf8')).toBe('boxed')
    expect(existsSync(outside)).toBe(false)
    expect(h.manager.sendMessage(id(2), 'and again')).toMatchObject({ ok: true })
    await waitFor(() => h!.events.filter((e) => e.type === 'taskComplete' && e.taskId === id(2)).length === 2, { timeoutMs: 120_000, what: 'the boxed follow-up' })
    expect(h.tasks.get(id(2))).toMatchObject({ state: 'completed', agentSessionId: rec.agentSessionId })
    expect(JSON.stringify(model.conversation.at(-1)!.json?.contents)).toContain('and again')
  }, 300_000)
})
