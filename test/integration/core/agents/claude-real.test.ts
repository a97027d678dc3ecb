// The real Claude Code CLI (pinned dev dependency) against the scripted model server, driven by
// AgentProcess with the adapter's argv and stdin lines.
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentProcess } from '../../../../src-main/core/agents/agent-process'
import { buildClaudeArgv, checkClaudeVersion, claudeAgentEnv, isNoConversationFound, type ClaudeResult } from '../../../../src-main/core/agents/adapters/claude'
import type { ClassifiedLine } from '../../../../src-main/core/agents/classify'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { startModelServer, text, toolUse, type ModelServer } from '../../../fixtures/model-server'
import { tempDir } from './helpers'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function setup(scenario: Parameters<typeof startModelServer>[0], home?: string): Promise<{ model: ModelServer; env: ClaudeEnv; cwd: string }> {
  const model = await startModelServer({ requireAuth: 'sk-test', ...scenario })
  const env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test', home })
  const cwd = await tempDir('makima-agent-cwd-')
  cleanups.push(() => model.close(), () => env.cleanup(), () => rm(cwd, { recursive: true, force: true }))
  return { model, env, cwd }
}

function run(cwd: string, env: Record<string, string>, o: { resume?: string; keepOpen?: boolean } = {}) {
  const { command, args } = buildClaudeArgv({ command: CLAUDE_BIN, resumeSessionId: o.resume, systemPrompt: 'You are a Makima test agent.' })
  const agent = new AgentProcess({ command, args, cwd, env: claudeAgentEnv(env, {}).env, closeStdinOnResult: !o.keepOpen })
  const lines: ClassifiedLine[] = []
  const results: ClaudeResult[] = []
  agent.on('line', (l) => lines.push(l))
  agent.on('result', (r) => results.push(r))
  cleanups.push(() => agent.stop())
  return { agent, lines, results }
}

describe.skipIf(!claudeAvailable())('real Claude Code CLI + scripted model', () => {
  it('reports "Claude Code X ready" from --version', async () => {
    const v = await checkClaudeVersion({ command: CLAUDE_BIN })
    expect(v).toEqual({ ok: true, version: '2.1.331', readyText: 'Claude Code 2.1.331 ready' })
    expect(await checkClaudeVersion({ command: '/nonexistent/claude' })).toMatchObject({ ok: false, reason: expect.stringContaining('not found') })
  })

  it('runs a Write tool in the cwd, captures the session id, closes stdin after the result and exits 0', async () => {
    const { model, env, cwd } = await setup({ turns: [toolUse('Write', { file_path: 'hello.txt', content: 'hi from the model\n' }), text('DONE')] })
    const { agent, lines, results } = run(cwd, env.env)
    expect(agent.send('Create hello.txt')).toBe(true)
    const exit = await agent.exited
    expect(exit).toMatchObject({ code: 0, signal: null, beforeOutput: false })
    expect(exit.stoppedBy).toBeUndefined()
    expect(await readFile(join(cwd, 'hello.txt'), 'utf8')).toBe('hi from the model\n')
    expect(agent.sessionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({ ok: true, text: 'DONE', sessionId: agent.sessionId })
    expect(lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['system', 'assistant', 'user', 'result']))
    // The system prompt went in as an append, and the user line arrived as sent.
    const first = model.conversationRequests()[0]!.json as { system: { text: string }[]; messages: { content: unknown }[] }
    expect(JSON.stringify(first.system)).toContain('You are a Makima test agent.')
    expect(JSON.stringify(first.messages)).toContain('Create hello.txt')
    expect(agent.timings().firstOutputMs).toBeGreaterThanOrEqual(0)
  })

  it('keeps stdin open for a second message, then exits 0 on closeInput', async () => {
    const { model, env, cwd } = await setup({ respond: (c) => text(`reply to: ${c.lastUserText.split('\n').pop()}`) })
    const { agent, results } = run(cwd, env.env, { keepOpen: true })
    agent.send('first message')
    await new Promise<void>((r) => agent.on('result', () => r()))
    expect(agent.isRunning).toBe(true)
    agent.send('second message')
    await new Promise<void>((r) => agent.on('result', () => r()))
    agent.closeInput()
    expect((await agent.exited).code).toBe(0)
    expect(results.map((r) => r.ok)).toEqual([true, true])
    expect(results[1]!.sessionId).toBe(results[0]!.sessionId)
    const last = model.conversationRequests().at(-1)!.body
    expect(last).toContain('first message')
    expect(last).toContain('second message')
  })

  it('resumes a stored session with --resume <id>, and an unknown id is "No conversation found"', async () => {
    const home = await tempDir('makima-claude-home-')
    cleanups.push(() => rm(home, { recursive: true, force: true }))
    const { env, cwd } = await setup({ turns: [text('remember the word PAPAYA')] }, home)
    const one = run(cwd, env.env)
    one.agent.send('first run')
    expect((await one.agent.exited).code).toBe(0)
    const sessionId = one.agent.sessionId!

    const second = await startModelServer({ turns: [text('resumed')] })
    cleanups.push(() => second.close())
    const env2 = await claudeEnv({ baseUrl: second.url, apiKey: 'sk-test', home })
    const two = run(cwd, env2.env, { resume: sessionId })
    two.agent.send('second run')
    expect((await two.agent.exited).code).toBe(0)
    expect(two.agent.sessionId).toBe(sessionId)
    const body = second.conversationRequests()[0]!.body
    expect(body).toContain('first run')
    expect(body).toContain('PAPAYA')

    const three = run(cwd, env2.env, { resume: '11111111-2222-3333-4444-555555555555' })
    three.agent.send('third run')
    const exit = await three.agent.exited
    expect(exit.code).toBe(1)
    expect(three.lines.some(isNoConversationFound)).toBe(true)
    expect(three.results[0]).toMatchObject({ ok: false, subtype: 'error_during_execution' })
  })
})
