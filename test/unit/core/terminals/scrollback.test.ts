import { describe, expect, it } from 'vitest'
import { Scrollback } from '../../../../src-main/core/terminals/scrollback'

describe('Scrollback', () => {
  it('keeps the newest output within its bound and counts offsets from the start', () => {
    const s = new Scrollback(10)
    expect(s.append('abcdef')).toBe(0)
    expect(s.append('ghij')).toBe(6)
    expect(s.snapshot()).toEqual({ text: 'abcdefghij', end: 10 })
    expect(s.append('klm')).toBe(10)
    expect(s.snapshot()).toEqual({ text: 'defghijklm', end: 13 })
    s.append('0123456789ABCDEF')
    expect(s.snapshot()).toEqual({ text: '6789ABCDEF', end: 29 })
  })
})
