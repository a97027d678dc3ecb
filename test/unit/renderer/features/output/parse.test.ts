import { describe, expect, it } from 'vitest'
import { formatUsage, parseLine, parseLines, totalUsage } from '../../../../../src-renderer/src/features/output/parse'

const l = (kind: string, data: unknown) => ({ seq: 1, kind, data: typeof data === 'string' ? data : JSON.stringify(data) })

describe('parseLine', () => {
  it('reads assistant text and tool calls, one item per block', () => {
    const items = parseLine(l('assistant', { type: 'assistant', message: { content: [{ type: 'text', text: 'hi' }, { type: 'tool_use', name: 'Write', input: { file_path: 'a.txt', content: 'x' } }] } }))
    expect(items).toEqual([
      { kind: 'text', seq: 1, role: 'assistant', text: 'hi' },
      { kind: 'tool-call', seq: 1, name: 'Write', summary: 'a.txt' },
    ])
  })
  it('reads tool results (string or blocks) and marks errors', () => {
    expect(parseLine(l('user', { type: 'user', message: { content: [{ type: 'tool_result', content: [{ type: 'text', text: 'boom' }], is_error: true }] } }))).toEqual([{ kind: 'tool-result', seq: 1, text: 'boom', isError: true }])
  })
  it('summarises results, including the "success but is_error" case', () => {
    const [r] = parseLine(l('result', { type: 'result', subtype: 'success', is_error: true, result: 'Not logged in' }))
    expect(r).toMatchObject({ kind: 'result', isError: true, text: 'Not logged in' })
  })
  it('keeps stderr, notices and non-JSON lines; drops stream events', () => {
    expect(parseLine(l('stderr', 'oops'))).toEqual([{ kind: 'stderr', seq: 1, text: 'oops' }])
    expect(parseLine(l('notice', 'slow start'))).toEqual([{ kind: 'notice', seq: 1, text: 'slow start' }])
    expect(parseLine(l('json', '{not json'))).toEqual([{ kind: 'raw', seq: 1, text: '{not json' }])
    expect(parseLine(l('stream_event', { type: 'stream_event' }))).toEqual([])
  })
})

describe('turns', () => {
  it("reads the user's own turn, an answered question, and a result's usage", () => {
    expect(parseLine(l('user', { type: 'user', origin: 'makima', message: { role: 'user', content: [{ type: 'text', text: 'the plan' }] } }))).toEqual([{ kind: 'you', seq: 1, text: 'the plan' }])
    const answer = JSON.stringify({ questionId: 'q1', question: 'Which DB?', choices: [], status: 'answered', answered: true, answer: 'Postgres' })
    expect(parseLine(l('user', { type: 'user', message: { content: [{ type: 'tool_result', content: answer }] } }))).toEqual([{ kind: 'qa', seq: 1, question: 'Which DB?', answer: 'Postgres' }])
    const [r] = parseLine(l('result', { type: 'result', is_error: false, result: 'ok', duration_ms: 1500, total_cost_usd: 0.5, usage: { input_tokens: 10, cache_read_input_tokens: 20, output_tokens: 5 } }))
    expect(r).toMatchObject({ kind: 'result', usage: { durationMs: 1500, costUsd: 0.5, inputTokens: 30, outputTokens: 5 } })
  })
  it('shows the final text once: the result that repeats it keeps only its usage; totals add up', () => {
    const lines = [
      l('assistant', { type: 'assistant', message: { content: [{ type: 'text', text: 'Done.' }] } }),
      { ...l('result', { type: 'result', result: 'Done.', total_cost_usd: 0.25 }), seq: 2 },
      { ...l('result', { type: 'result', result: 'Other.', total_cost_usd: 0.5 }), seq: 3 },
    ]
    const items = parseLines(lines)
    expect(items.filter((i) => i.kind === 'result').map((i) => (i.kind === 'result' ? i.text : ''))).toEqual(['Turn finished.', 'Other.'])
    expect(totalUsage(items)).toMatchObject({ turns: 2, usage: { costUsd: 0.75 } })
    expect(formatUsage(totalUsage(items).usage)).toBe('$0.7500')
  })
})
