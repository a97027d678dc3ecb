import { describe, expect, it } from 'vitest'
import { GateTranscript, parseGateBody, parseLastGate } from '../../../../src-main/core/tasks/completion-gate'

const gate = (body: string) => `<COMPLETION_GATE>\n${body}\n</COMPLETION_GATE>`

describe('parseLastGate', () => {
  it('reads the documented block format', () => {
    const r = parseLastGate(`done!\n${gate('ready: true\nreason: "all tests pass"\nprogress: "added login"')}\n`)
    expect(r).toEqual({ kind: 'gate', gate: { ready: true, reason: 'all tests pass', progress: 'added login', extra: {} } })
  })

  it('reads ready:false with JSON blockers and keeps unknown keys', () => {
    const r = parseLastGate(gate('ready: false\nreason: tests failing\nblockers: ["npm test: 3 failures", "lint"]\nconfidence: 0.4'))
    expect(r).toEqual({
      kind: 'gate',
      gate: { ready: false, reason: 'tests failing', blockers: ['npm test: 3 failures', 'lint'], extra: { confidence: '0.4' } },
    })
  })

  it('reads "- item" blocker lists and a JSON body', () => {
    expect(parseGateBody('ready: false\nblockers:\n  - one\n  - "two"')).toMatchObject({ gate: { ready: false, blockers: ['one', 'two'] } })
    expect(parseGateBody('{"ready": true, "reason": "ok", "blockers": []}')).toEqual({ kind: 'gate', gate: { ready: true, reason: 'ok', extra: {} } })
  })

  it('the last block wins', () => {
    const text = `${gate('ready: false\nreason: first')}\nmore work\n${gate('ready: true\nreason: second')}`
    expect(parseLastGate(text)).toMatchObject({ gate: { ready: true, reason: 'second' } })
    const back = `${gate('ready: true')}\n${gate('ready: false')}`
    expect(parseLastGate(back)).toMatchObject({ gate: { ready: false } })
  })

  it('none when tags are missing or out of order; malformed when ready is absent', () => {
    expect(parseLastGate('no gate here')).toEqual({ kind: 'none' })
    expect(parseLastGate('<COMPLETION_GATE>\nready: true')).toEqual({ kind: 'none' })
    expect(parseLastGate('</COMPLETION_GATE> ready: true <COMPLETION_GATE>')).toEqual({ kind: 'none' })
    expect(parseLastGate(gate('reason: forgot ready'))).toMatchObject({ kind: 'malformed' })
    expect(parseLastGate(gate('ready: maybe'))).toMatchObject({ kind: 'malformed' })
    expect(parseLastGate(gate('{"ready": tru'))).toMatchObject({ kind: 'malformed' })
  })
})

const assistant = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: 'assistant',
  message: { id, role: 'assistant', content: [{ type: 'text', text }] },
  parent_tool_use_id: null,
  ...extra,
})

describe('GateTranscript', () => {
  it('reads the gate from decoded assistant text (newlines decoded from JSON)', () => {
    const t = new GateTranscript()
    // Round-trip through JSON like a real stream-json line.
    t.feed(JSON.parse(JSON.stringify(assistant('m1', `All done.\n${gate('ready: true\nreason: "finished"')}`))))
    expect(t.reading()).toMatchObject({ kind: 'gate', gate: { ready: true, reason: 'finished' } })
  })

  it('never reads a gate from a tool result or a tool input', () => {
    const t = new GateTranscript()
    t.feed(assistant('m1', 'Let me look at the file.'))
    t.feed({
      type: 'assistant',
      message: { id: 'm2', content: [{ type: 'tool_use', id: 'tu1', name: 'Write', input: { file_path: 'g.txt', content: gate('ready: true') } }] },
    })
    t.feed({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu1', content: gate('ready: true') }] } })
    expect(t.reading()).toEqual({ kind: 'none' })
  })

  it('ignores sub-agent text', () => {
    const t = new GateTranscript()
    t.feed(assistant('m1', gate('ready: true'), { parent_tool_use_id: 'toolu_9' }))
    expect(t.reading()).toEqual({ kind: 'none' })
  })

  it('joins a gate split across text blocks of one message', () => {
    const t = new GateTranscript()
    t.feed(assistant('m1', '<COMPLETION_GATE>\nready: tr'))
    t.feed(assistant('m1', 'ue\n</COMPLETION_GATE>'))
    expect(t.reading()).toMatchObject({ gate: { ready: true } })
  })

  it('reads a gate that only appears in result text, and the last one overall wins', () => {
    const t = new GateTranscript()
    t.feed(assistant('m1', gate('ready: false\nreason: not yet')))
    t.feed({ type: 'result', subtype: 'success', is_error: false, result: gate('ready: true\nreason: done') })
    expect(t.reading()).toMatchObject({ gate: { ready: true, reason: 'done' } })
    t.reset()
    expect(t.reading()).toEqual({ kind: 'none' })
  })

  it('keeps only a bounded tail of the transcript', () => {
    const t = new GateTranscript(1000)
    for (let i = 0; i < 100; i++) t.feed(assistant(`m${i}`, 'x'.repeat(100)))
    t.feed(assistant('end', gate('ready: true')))
    expect(t.text().length).toBeLessThanOrEqual(2100)
    expect(t.reading()).toMatchObject({ gate: { ready: true } })
  })
})
