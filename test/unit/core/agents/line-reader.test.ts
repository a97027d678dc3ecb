import { describe, expect, it, vi } from 'vitest'
import { LineReader, truncationNotice } from '../../../../src-main/core/agents/line-reader'
import { classifyLine } from '../../../../src-main/core/agents/classify'

const texts = (r: { text: string }[]) => r.map((l) => l.text)

describe('LineReader', () => {
  it('decodes whole lines in place: no copy of any line piece', () => {
    const r = new LineReader()
    const chunk = Buffer.from(Array.from({ length: 1000 }, (_, i) => `{"n":${i},"text":"héllo"}`).join('\n') + '\ntail')
    const from = vi.spyOn(Buffer, 'from')
    const concat = vi.spyOn(Buffer, 'concat')
    try {
      const lines = r.push(chunk)
      expect(lines).toHaveLength(1000)
      expect(lines[999]!.text).toBe('{"n":999,"text":"héllo"}')
      // Only the unfinished tail is kept (copied once); no complete line was copied or joined.
      expect(from).toHaveBeenCalledTimes(1)
      expect(concat).not.toHaveBeenCalled()
    } finally {
      vi.restoreAllMocks()
    }
  })

  it('keeps its own copy of an unfinished line: the caller may reuse the chunk buffer', () => {
    const r = new LineReader()
    const chunk = Buffer.from('first\npart')
    expect(texts(r.push(chunk))).toEqual(['first'])
    chunk.fill(0x58) // the stream reuses its buffer
    expect(texts(r.push(Buffer.from('ial\n')))).toEqual(['partial'])
  })

  it('joins partial writes and splits many lines in one chunk', () => {
    const r = new LineReader()
    expect(r.push(Buffer.from('{"type":"sys'))).toEqual([])
    expect(texts(r.push(Buffer.from('tem"}\nsecond\nthi')))).toEqual(['{"type":"system"}', 'second'])
    expect(texts(r.push(Buffer.from('rd\r\n\n')))).toEqual(['third'])
    expect(r.end()).toEqual([])
  })

  it('decodes a UTF-8 character split across chunks, byte by byte', () => {
    const r = new LineReader()
    const bytes = Buffer.from('héllo 😀 ünï\n', 'utf8')
    const out = []
    for (const b of bytes) out.push(...r.push(Buffer.from([b])))
    expect(texts(out)).toEqual(['héllo 😀 ünï'])
  })

  it('replaces invalid UTF-8 with U+FFFD and keeps going', () => {
    const r = new LineReader()
    const out = r.push(Buffer.concat([Buffer.from('a'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('b\nok\n')]))
    expect(out[0]!.text).toBe('a\ufffd\ufffd\ufffdb')
    expect(out[1]!.text).toBe('ok')
  })

  it('emits an unfinished last line at end', () => {
    const r = new LineReader()
    r.push(Buffer.from('no newline'))
    expect(texts(r.end())).toEqual(['no newline'])
  })

  it('caps a line, keeps memory bounded while dropping, and reports the full length', () => {
    const r = new LineReader({ maxLineBytes: 1000 })
    const chunk = Buffer.alloc(300, 'x')
    for (let i = 0; i < 20; i++) {
      expect(r.push(chunk)).toEqual([])
      expect(r.pendingBytes).toBeLessThanOrEqual(1000)
    }
    const [line, next] = r.push(Buffer.from('tail\nafter\n'))
    expect(line!.text.length).toBe(1000)
    expect(line!.truncatedFromBytes).toBe(6004)
    expect(next).toEqual({ text: 'after' })
    expect(truncationNotice(line!, 1000)).toContain('6004 bytes')
  })

  it('never cuts a multi-byte character when truncating', () => {
    const r = new LineReader({ maxLineBytes: 5 })
    const [line] = r.push(Buffer.from('ab😀cd\n'))
    expect(line!.text).toBe('ab')
    expect(line!.truncatedFromBytes).toBe(8)
  })
})

describe('classifyLine', () => {
  it('classifies stream-json types and keeps the text unchanged', () => {
    const raw = '{"type":"system","subtype":"init","session_id":"s1"}'
    expect(classifyLine(raw, 'stdout')).toMatchObject({ kind: 'system', subtype: 'init', text: raw })
    expect(classifyLine('{"type":"assistant","message":{}}', 'stdout').kind).toBe('assistant')
    expect(classifyLine('{"type":"user"}', 'stdout').kind).toBe('user')
    expect(classifyLine('{"type":"result","subtype":"success"}', 'stdout')).toMatchObject({ kind: 'result', subtype: 'success' })
    expect(classifyLine('{"type":"stream_event"}', 'stdout').kind).toBe('stream_event')
    expect(classifyLine('{"type":"rate_limit_event"}', 'stdout').kind).toBe('json')
    expect(classifyLine('[1,2]', 'stdout').kind).toBe('text')
    expect(classifyLine('{broken', 'stdout').kind).toBe('text')
    expect(classifyLine('plain words', 'stdout').kind).toBe('text')
    expect(classifyLine('{"type":"result"}', 'stderr').kind).toBe('stderr')
  })
})
