import { describe, expect, it } from 'vitest'
import { parseLine } from '../../../../../src-renderer/src/features/output/parse'

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
