import { describe, expect, it } from 'vitest'
import type { OutputLine, TranscriptEvent } from '../../../../../src-preload/contract'
import { formatUsage, parseLine, parseLines, totalUsage } from '../../../../../src-renderer/src/features/output/parse'

const NO = { durationMs: null, costUsd: null, inputTokens: null, outputTokens: null, cumulative: false }
const ev = (seq: number, ...events: TranscriptEvent[]): OutputLine => ({ seq, kind: 'json', data: '{}', events })

describe('parseLine', () => {
  it('lays out the common events: text, tool call, tool result, file change, session', () => {
    const items = parseLine(ev(1, { kind: 'session', model: 'gpt-5', cwd: null }, { kind: 'text', text: 'hi', delta: false }, { kind: 'tool-call', name: 'shell', summary: 'ls' },
      { kind: 'tool-result', ok: false, text: 'boom' }, { kind: 'file-change', path: 'a.txt', change: 'add' }))
    expect(items).toEqual([
      { kind: 'session', seq: 1, text: 'Session started · gpt-5' },
      { kind: 'text', seq: 1, role: 'assistant', text: 'hi' },
      { kind: 'tool-call', seq: 1, name: 'shell', summary: 'ls' },
      { kind: 'tool-result', seq: 1, text: 'boom', isError: true },
      { kind: 'file-change', seq: 1, path: 'a.txt', change: 'add' },
    ])
  })
  it('never reads the line itself: an agent JSON line without events is shown as printed', () => {
    const data = JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: 'hi' }] } })
    expect(parseLine({ seq: 1, kind: 'assistant', data })).toEqual([{ kind: 'raw', seq: 1, text: data }])
  })
  it('keeps stderr and notices as they are; a line with no events shows nothing', () => {
    expect(parseLine({ seq: 1, kind: 'stderr', data: 'oops' })).toEqual([{ kind: 'stderr', seq: 1, text: 'oops' }])
    expect(parseLine({ seq: 1, kind: 'notice', data: 'slow start' })).toEqual([{ kind: 'notice', seq: 1, text: 'slow start' }])
    expect(parseLine(ev(1))).toEqual([])
  })
  it('a result without text says how the turn ended', () => {
    expect(parseLine(ev(1, { kind: 'result', ok: false, text: null, usage: null }))).toEqual([{ kind: 'result', seq: 1, text: 'The turn ended with an error.', isError: true, usage: NO }])
  })
})

describe('turns', () => {
  it('shows the final text once: the result that repeats it keeps only its usage; totals add up', () => {
    const items = parseLines([
      ev(1, { kind: 'you', text: 'the plan' }),
      ev(2, { kind: 'text', text: 'Done.', delta: false }),
      ev(3, { kind: 'result', ok: true, text: 'Done.', usage: { ...NO, costUsd: 0.25 } }),
      ev(4, { kind: 'result', ok: true, text: 'Other.', usage: { ...NO, costUsd: 0.5 } }),
    ])
    expect(items.filter((i) => i.kind === 'result').map((i) => (i.kind === 'result' ? i.text : ''))).toEqual(['Turn finished.', 'Other.'])
    expect(totalUsage(items)).toMatchObject({ turns: 2, usage: { costUsd: 0.75 } })
    expect(formatUsage(totalUsage(items).usage)).toBe('$0.7500')
  })
  it('joins streamed text pieces into one message (Gemini deltas)', () => {
    const items = parseLines([ev(1, { kind: 'text', text: 'Hel', delta: true }), ev(2, { kind: 'text', text: 'lo.', delta: true }), ev(3, { kind: 'result', ok: true, text: null, usage: null })])
    expect(items.map((i) => i.kind)).toEqual(['text', 'result'])
    expect(items[0]).toMatchObject({ text: 'Hello.' })
  })
  it('session-wide counts (Codex) are shown per turn, and the total is the latest count', () => {
    const items = parseLines([
      ev(1, { kind: 'result', ok: true, text: null, usage: { ...NO, inputTokens: 100, outputTokens: 10, cumulative: true } }),
      ev(2, { kind: 'result', ok: true, text: null, usage: { ...NO, inputTokens: 250, outputTokens: 30, cumulative: true } }),
    ])
    expect(items.map((i) => (i.kind === 'result' ? [i.usage.inputTokens, i.usage.outputTokens] : null))).toEqual([[100, 10], [150, 20]])
    expect(totalUsage(items).usage).toMatchObject({ inputTokens: 250, outputTokens: 30 })
  })
})
