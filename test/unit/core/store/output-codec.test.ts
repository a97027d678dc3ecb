// A chunk of stored output decodes to exactly the lines put in: kinds, order, empty lines and any
// UTF-8 (multi-byte characters, astral ones; a lone surrogate becomes U+FFFD, as Node writes it).
import { describe, expect, it } from 'vitest'
import { decodeChunk, encodeChunk } from '../../../../src-main/core/store/output-codec'

describe('output chunk codec', () => {
  it('round-trips kinds, order, empty lines and every kind of UTF-8', () => {
    const lines = [
      { kind: 'json', data: '{"type":"assistant","text":"héllo"}' },
      { kind: 'stderr', data: '' },
      { kind: 'notice', data: 'naïve 日本語 🚀 done' },
      { kind: 'json', data: 'x'.repeat(5000) },
      { kind: 'text', data: 'line with\ttab and "quotes" and \\ backslash' },
    ]
    const { body, bytes } = encodeChunk(lines)
    expect(decodeChunk(body)).toEqual(lines)
    expect(bytes).toBe(lines.reduce((n, l) => n + Buffer.byteLength(l.data), 0))
  })

  it('a lone surrogate is stored as U+FFFD and the lines after it stay aligned', () => {
    const { body } = encodeChunk([{ kind: 'text', data: 'a\ud800b' }, { kind: 'text', data: 'next' }])
    expect(decodeChunk(body)).toEqual([{ kind: 'text', data: 'a\ufffdb' }, { kind: 'text', data: 'next' }])
  })
})
