import { describe, expect, it } from 'vitest'
import { claudeEvents } from '../../../../src-main/core/agents/adapters/claude-events'
import { classifyLine } from '../../../../src-main/core/agents/classify'

const ev = (o: unknown) => claudeEvents(classifyLine(JSON.stringify(o), 'stdout'))

describe('Claude stream-json as common events', () => {
  it('init → session_started', () => {
    expect(ev({ type: 'system', subtype: 'init', session_id: 's1', model: 'm' })).toEqual([{ kind: 'session_started', sessionId: 's1', model: 'm' }])
  })

  it('api_retry with 401 → an auth retry (the CLI gives up only minutes later)', () => {
    expect(ev({ type: 'system', subtype: 'api_retry', attempt: 2, max_retries: 10, retry_delay_ms: 1000, error_status: 401, error: 'authentication_failed' }))
      .toEqual([{ kind: 'retry', attempt: 2, status: 401, category: 'auth', message: 'authentication_failed' }])
    expect(ev({ type: 'system', subtype: 'api_retry', attempt: 1, error_status: 529, error: 'overloaded' })[0]).toMatchObject({ category: 'api' })
  })

  it('assistant blocks → text / tool_call / derived file_change; a sub-agent is marked', () => {
    const out = ev({
      type: 'assistant', parent_tool_use_id: null,
      message: { id: 'm1', content: [{ type: 'text', text: 'hi' }, { type: 'tool_use', id: 't1', name: 'Write', input: { file_path: 'a.txt', content: 'x' } }] },
    })
    expect(out).toEqual([
      { kind: 'text', text: 'hi', messageId: 'm1' },
      { kind: 'tool_call', callId: 't1', name: 'Write', input: { file_path: 'a.txt', content: 'x' } },
      { kind: 'file_change', path: 'a.txt', change: 'add' },
    ])
    expect(ev({ type: 'assistant', parent_tool_use_id: 'x', message: { id: 'm2', content: [{ type: 'text', text: 'sub' }] } })[0]).toMatchObject({ subagent: true })
  })

  it('user tool_result → tool_result', () => {
    expect(ev({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'done', is_error: true }] } }))
      .toEqual([{ kind: 'tool_result', callId: 't1', ok: false, output: 'done' }])
  })

  it('result → usage and turn_completed; an auth failure → one auth error', () => {
    const ok = ev({ type: 'result', subtype: 'success', is_error: false, result: 'DONE', num_turns: 2, total_cost_usd: 0.5, usage: { input_tokens: 3, output_tokens: 4, cache_read_input_tokens: 1 } })
    expect(ok).toEqual([
      { kind: 'usage', scope: 'turn', input: 3, output: 4, cachedInput: 1, costUsd: 0.5 },
      { kind: 'turn_completed', ok: true, resultText: 'DONE', numTurns: 2, queuedTurns: 0 },
    ])
    const denied = ev({ type: 'result', subtype: 'success', is_error: true, result: 'Invalid API key · Fix external API key', api_error_status: 401 })
    expect(denied.filter((e) => e.kind === 'error')).toMatchObject([{ category: 'auth', auth: { via: 'result-status' } }])
    expect(denied.at(-1)).toMatchObject({ kind: 'turn_completed', ok: false })
  })

  it('the assistant line of an auth failure is an auth error, not the agent\'s words', () => {
    const out = ev({ type: 'assistant', error: 'authentication_failed', message: { content: [{ type: 'text', text: 'Not logged in · Please run /login' }] } })
    expect(out).toMatchObject([{ kind: 'error', category: 'auth' }])
  })

  it('resume of an unknown session → no_session', () => {
    expect(claudeEvents(classifyLine('No conversation found with session ID: abc', 'stderr'))).toMatchObject([{ kind: 'error', category: 'no_session' }])
  })
})
