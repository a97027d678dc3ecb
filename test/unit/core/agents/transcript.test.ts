// Each dialect's lines (shapes printed by the pinned CLIs) read into the same transcript events.
import { describe, expect, it } from 'vitest'
import { claudeAdapter } from '../../../../src-main/core/agents/adapters/claude'
import { codexAdapter } from '../../../../src-main/core/agents/adapters/codex'
import { geminiAdapter } from '../../../../src-main/core/agents/adapters/gemini'
import { opencodeAdapter } from '../../../../src-main/core/agents/adapters/opencode'
import { withTranscript } from '../../../../src-main/core/agents/transcript'
import { userTurnLine } from '../../../../src-main/core/tasks/output-log'

const lines = (...objs: unknown[]) => objs.map((o, i) => ({ seq: i + 1, kind: 'json', data: typeof o === 'string' ? o : JSON.stringify(o) }))
const kinds = (ls: { events?: { kind: string }[] }[]) => ls.flatMap((l) => (l.events ?? [{ kind: 'plain' }]).map((e) => e.kind))

describe('withTranscript', () => {
  it('Claude: session, text, tool call + file change, tool result, result with usage and cost', () => {
    const out = withTranscript(claudeAdapter, lines(
      userTurnLine('the plan'),
      { type: 'system', subtype: 'init', session_id: 's', model: 'claude-x', cwd: '/w' },
      { type: 'assistant', message: { id: 'm1', content: [{ type: 'text', text: 'Writing.' }, { type: 'tool_use', id: 't1', name: 'Write', input: { file_path: 'a.txt', content: 'x' } }] } },
      { type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] } },
      { type: 'result', subtype: 'success', is_error: false, result: 'Done.', duration_ms: 1500, total_cost_usd: 0.5, usage: { input_tokens: 10, cache_read_input_tokens: 20, output_tokens: 5 } },
    ))
    expect(kinds(out)).toEqual(['you', 'session', 'text', 'tool-call', 'file-change', 'tool-result', 'result'])
    expect(out[0]!.events).toEqual([{ kind: 'you', text: 'the plan' }])
    expect(out[1]!.events).toEqual([{ kind: 'session', model: 'claude-x', cwd: '/w' }])
    expect(out[4]!.events).toEqual([{ kind: 'result', ok: true, text: 'Done.', usage: { durationMs: 1500, costUsd: 0.5, inputTokens: 30, outputTokens: 5, cumulative: false } }])
  })

  it("uses the events the agent layer already read for a line, and never sends them on", () => {
    const line = { seq: 1, kind: 'assistant', data: 'not parsed again', parsed: [{ kind: 'text' as const, text: 'from the agent layer' }] }
    const [out] = withTranscript(claudeAdapter, [line as never])
    expect(out).toEqual({ seq: 1, kind: 'assistant', data: 'not parsed again', events: [{ kind: 'text', text: 'from the agent layer', delta: false }] })
  })

  it('Codex: the same turn types from thread/item/turn events; its session-wide counts are marked', () => {
    const out = withTranscript(codexAdapter, lines(
      { type: 'thread.started', thread_id: 'th' },
      { type: 'turn.started' },
      { type: 'item.started', item: { id: 'i1', type: 'command_execution', command: "bash -lc 'ls'", aggregated_output: '', exit_code: null, status: 'in_progress' } },
      { type: 'item.completed', item: { id: 'i1', type: 'command_execution', command: "bash -lc 'ls'", aggregated_output: 'a.txt\n', exit_code: 0, status: 'completed' } },
      { type: 'item.completed', item: { id: 'i2', type: 'file_change', changes: [{ path: '/w/b.txt', kind: 'add' }], status: 'completed' } },
      { type: 'item.completed', item: { id: 'i3', type: 'agent_message', text: 'Done.' } },
      { type: 'turn.completed', usage: { input_tokens: 240, cached_input_tokens: 40, output_tokens: 60 } },
    ))
    expect(kinds(out)).toEqual(['session', 'tool-call', 'tool-result', 'file-change', 'text', 'result'])
    expect(out.at(-1)!.events).toEqual([{ kind: 'result', ok: true, text: null, usage: { durationMs: null, costUsd: null, inputTokens: 280, outputTokens: 60, cumulative: true } }])
    expect(out[1]!.events).toEqual([])
  })

  it('Gemini: streamed text pieces are marked as deltas; the echo of the prompt is not shown', () => {
    const out = withTranscript(geminiAdapter, lines(
      { type: 'init', session_id: 's', model: 'gemini-x' },
      { type: 'message', role: 'user', content: 'the plan' },
      { type: 'tool_use', tool_name: 'write_file', tool_id: 'w1', parameters: { file_path: 'g.txt', content: 'x' } },
      { type: 'tool_result', tool_id: 'w1', status: 'success', output: 'ok' },
      { type: 'message', role: 'assistant', content: 'Do', delta: true },
      { type: 'message', role: 'assistant', content: 'ne.', delta: true },
      { type: 'result', status: 'success', stats: { input_tokens: 100, output_tokens: 20, cached: 10, duration_ms: 900 } },
    ))
    expect(kinds(out)).toEqual(['session', 'tool-call', 'file-change', 'tool-result', 'text', 'text', 'result'])
    expect(out[4]!.events).toEqual([{ kind: 'text', text: 'Do', delta: true }])
    expect(out.at(-1)!.events).toEqual([{ kind: 'result', ok: true, text: null, usage: { durationMs: 900, costUsd: null, inputTokens: 110, outputTokens: 20, cumulative: false } }])
  })

  it('OpenCode: the session from the first line, a finished call with its patch, the steps summed into one result', () => {
    const part = (p: object) => ({ sessionID: 'ses_1', part: p })
    const out = withTranscript(opencodeAdapter, lines(
      { type: 'step_start', ...part({ type: 'step-start' }) },
      { type: 'tool_use', ...part({ type: 'tool', tool: 'apply_patch', callID: 'c1', state: { status: 'completed', input: { patchText: '*** Begin Patch\n*** Add File: o.txt\n+x\n*** End Patch' }, output: 'Success' } }) },
      { type: 'step_finish', ...part({ reason: 'tool-calls', tokens: { input: 100, output: 30, cache: { read: 20 } }, cost: 0.25 }) },
      { type: 'text', ...part({ type: 'text', text: 'Done.' }) },
      { type: 'step_finish', ...part({ reason: 'stop', tokens: { input: 100, output: 30, cache: { read: 20 } }, cost: 0.25 }) },
    ))
    expect(kinds(out)).toEqual(['session', 'tool-call', 'file-change', 'tool-result', 'text', 'result'])
    expect(out[1]!.events![1]).toEqual({ kind: 'file-change', path: 'o.txt', change: 'add' })
    expect(out.at(-1)!.events).toEqual([{ kind: 'result', ok: true, text: null, usage: { durationMs: null, costUsd: 0.5, inputTokens: 240, outputTokens: 60, cumulative: false } }])
  })

  it("an answered `makima supervisor ask` reads as a question and answer, whichever agent's shell ran it", () => {
    const answer = JSON.stringify({ questionId: 'q1', question: 'Which DB?', choices: [], status: 'answered', answered: true, answer: 'Postgres' })
    const out = withTranscript(codexAdapter, lines({ type: 'item.completed', item: { id: 'i1', type: 'command_execution', command: 'makima supervisor ask', aggregated_output: `${answer}\n`, exit_code: 0 } }))
    expect(out[0]!.events).toEqual([{ kind: 'qa', question: 'Which DB?', answer: 'Postgres' }])
  })

  it('stderr, notices and plain text carry no events; neither does a line that is not JSON', () => {
    const out = withTranscript(claudeAdapter, [{ seq: 1, kind: 'stderr', data: 'x' }, { seq: 2, kind: 'notice', data: 'n' }, { seq: 3, kind: 'text', data: 'plain' }, { seq: 4, kind: 'json', data: '{broken' }])
    expect(out.map((l) => 'events' in l)).toEqual([false, false, false, false])
  })
})
