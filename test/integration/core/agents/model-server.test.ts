// The scripted model server itself (SSE shape, recording, auth, side endpoints), and how the real
// CLI reports its scripted HTTP errors.
import { rm } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentProcess } from '../../../../src-main/core/agents/agent-process'
import { buildClaudeArgv, claudeAgentEnv, parseResult } from '../../../../src-main/core/agents/adapters/claude'
import type { ClassifiedLine } from '../../../../src-main/core/agents/classify'
import { CLAUDE_BIN, claudeAvailable, claudeEnv } from '../../../fixtures/claude-env'
import { httpError, startModelServer, text, toolUse, type Scenario } from '../../../fixtures/model-server'
import { tempDir } from './helpers'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function server(s: Scenario) {
  const m = await startModelServer(s)
  cleanups.push(() => m.close())
  return m
}

type Msg = { content: { type: string; text?: string }[] }
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

describe('model server', () => {
  it('streams a tool call as SSE events with input_json_delta and records the request', async () => {
    const m = await server({ turns: [toolUse('Write', { file_path: 'a.txt', content: 'hi' })] })
    const res = await post(`${m.url}/v1/messages?beta=true`, { stream: true, model: 'm', tools: [{ name: 'Write' }], messages: [{ role: 'user', content: 'go' }] }, { 'x-api-key': 'k' })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const events = (await res.text()).trim().split('\n\n').map((e) => {
      const [ev, data] = e.split('\n')
      return { event: ev!.slice('event: '.length), data: JSON.parse(data!.slice('data: '.length)) as Record<string, unknown> }
    })
    expect(events.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'])
    expect(events.every((e) => e.data.type === e.event)).toBe(true)
    const json = events.filter((e) => e.event === 'content_block_delta').map((e) => (e.data.delta as { partial_json: string }).partial_json).join('')
    expect(JSON.parse(json)).toEqual({ file_path: 'a.txt', content: 'hi' })
    expect(events[6]!.data.delta).toMatchObject({ stop_reason: 'tool_use' })
    expect(m.conversationRequests()).toHaveLength(1)
    expect(m.requests[0]!.headers['x-api-key']).toBe('k')
  })

  it('answers by a function, side requests and count_tokens without using a turn, and enforces auth', async () => {
    const m = await server({ requireAuth: 'good', respond: (c) => text(c.lastMessageHasToolResult ? 'after tool' : `turn ${c.turnIndex}: ${c.lastUserText}`) })
    const auth = { authorization: 'Bearer good' }
    const r1 = <Msg>await (await post(`${m.url}/v1/messages`, { tools: [{}], messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }] }, auth)).json()
    expect(r1.content).toEqual([{ type: 'text', text: 'turn 0: hello' }])
    const r2 = <Msg>await (await post(`${m.url}/v1/messages`, { tools: [{}], messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: 'ok' }] }] }, auth)).json()
    expect(r2.content[0]!.text).toBe('after tool')
    const side = <Msg>await (await post(`${m.url}/v1/messages`, { messages: [] }, auth)).json()
    expect(side.content[0]!.text).toBe('OK')
    expect(await (await post(`${m.url}/v1/messages/count_tokens`, { messages: [] }, auth)).json()).toMatchObject({ input_tokens: expect.any(Number) })
    expect((await fetch(`${m.url}/api/anything`, { headers: auth })).status).toBe(200)
    const denied = await post(`${m.url}/v1/messages`, { tools: [{}], messages: [] }, { 'x-api-key': 'bad' })
    expect(denied.status).toBe(401)
    expect(await denied.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
    expect(m.conversationRequests()).toHaveLength(2)
  })

  it('sends scripted HTTP errors with Anthropic error bodies', async () => {
    const m = await server({ turns: [httpError(429), httpError(529)] })
    const a = await post(`${m.url}/v1/messages`, { tools: [{}], messages: [] })
    expect(a.status).toBe(429)
    expect(await a.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
    const b = await post(`${m.url}/v1/messages`, { tools: [{}], messages: [] })
    expect(b.status).toBe(529)
    expect(await b.json()).toMatchObject({ error: { type: 'overloaded_error', message: 'Overloaded' } })
  })
})

describe.skipIf(!claudeAvailable())('the real CLI against scripted errors', () => {
  async function runCli(s: Scenario, auth: { apiKey?: string; oauthToken?: string }) {
    const m = await server(s)
    const env = await claudeEnv({ baseUrl: m.url, ...auth })
    const cwd = await tempDir()
    cleanups.push(() => env.cleanup(), () => rm(cwd, { recursive: true, force: true }))
    const agent = new AgentProcess({ ...buildClaudeArgv({ command: CLAUDE_BIN }), cwd, env: claudeAgentEnv(env.env, {}).env })
    const lines: ClassifiedLine[] = []
    agent.on('line', (l) => lines.push(l))
    agent.send('go')
    const exit = await agent.exited
    return { exit, lines, m, result: parseResult(lines.find((l) => l.kind === 'result')!)! }
  }

  it('a rejected API key: assistant error authentication_failed, result is_error with status 401, exit 1', async () => {
    const r = await runCli({ requireAuth: 'right-key' }, { apiKey: 'wrong-key' })
    expect(r.exit.code).toBe(1)
    expect(r.lines.find((l) => l.kind === 'assistant')!.json!.error).toBe('authentication_failed')
    expect(r.result).toMatchObject({ ok: false, apiErrorStatus: 401 })
  })

  it('the OAuth path sends the token as a Bearer header', async () => {
    const r = await runCli({ requireAuth: 'oauth-token-1', turns: [text('hello via oauth')] }, { oauthToken: 'oauth-token-1' })
    expect(r.exit.code).toBe(0)
    expect(r.result).toMatchObject({ ok: true, text: 'hello via oauth' })
    expect(r.m.conversationRequests()[0]!.headers.authorization).toBe('Bearer oauth-token-1')
  })

  it('a scripted 529 ends the turn as an API error', async () => {
    const r = await runCli({ turns: [httpError(529)] }, { apiKey: 'k' })
    expect(r.exit.code).toBe(1)
    expect(r.result).toMatchObject({ ok: false, apiErrorStatus: 529 })
  })
})
