import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AnsiStripper, stripAnsi, stripBoxDrawing } from '../../../../src-main/core/auth/ansi'
import { REAL_SCREEN_FILE } from '../../../fixtures/fake-setup-token'

const ESC = '\u001b'
const BEL = '\u0007'

describe('stripAnsi', () => {
  it('turns Ink cursor moves into spaces and drops colours', () => {
    expect(stripAnsi(`Welcome${ESC}[9Gto${ESC}[12GClaude${ESC}[19GCode`)).toBe('Welcome to Claude Code')
    expect(stripAnsi(`${ESC}[2GThis${ESC}[7Gwill`)).toBe(' This will')
    expect(stripAnsi(`${ESC}[33mwarn${ESC}[39m ${ESC}[1;31mred${ESC}[0m`)).toBe('warn red')
    expect(stripAnsi(`a${ESC}[3Cb`)).toBe('a   b')
  })

  it('removes OSC 8 hyperlinks (BEL or ST ended) but keeps the visible text once', () => {
    const url = 'https://claude.com/cai/oauth/authorize?x=1'
    expect(stripAnsi(`${ESC}]8;id=ab;${url}${BEL}${url}${ESC}]8;;${BEL}`)).toBe(url)
    expect(stripAnsi(`${ESC}]8;;${url}${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe('link')
  })

  it('drops terminal queries, mode switches and two-byte escapes', () => {
    expect(stripAnsi(`${ESC}7${ESC}[r${ESC}8${ESC}[?25h${ESC}[?2004h${ESC}]11;?${BEL}${ESC}[c${ESC}[>0qok${ESC}(B`)).toBe('ok')
  })

  it('normalises \\r\\r\\n, \\r\\n and lone \\r to line breaks', () => {
    expect(stripAnsi('a\r\r\nb\r\nc\rd\ne')).toBe('a\nb\nc\nd\ne')
  })

  it('reads the real setup-token screen of Claude Code 2.1.331', () => {
    const text = stripAnsi(readFileSync(REAL_SCREEN_FILE, 'utf8'))
    expect(text).toContain('Welcome to Claude Code v2.1.331')
    expect(text).toContain('This will guide you through long-lived (1-year) auth token setup for your Claude account.')
    expect(text).toContain("Browser didn't open? Use the URL below to sign in (c to copy)")
    expect(text).toContain('Paste code here if prompted')
    expect(text.includes(ESC) || text.includes(BEL)).toBe(false)
    expect(text.match(/https:\/\//g)).toHaveLength(1)
  })
})

describe('AnsiStripper', () => {
  it('gives the same text however the input is chunked', () => {
    const raw = readFileSync(REAL_SCREEN_FILE, 'utf8')
    const whole = stripAnsi(raw)
    for (const size of [1, 2, 3, 7, 64]) {
      const s = new AnsiStripper()
      let out = ''
      for (let i = 0; i < raw.length; i += size) out += s.push(raw.slice(i, i + size))
      out += s.flush()
      expect(out).toBe(whole)
    }
  })

  it('does not hold an unterminated escape forever', () => {
    const s = new AnsiStripper()
    s.push(`${ESC}]8;;` + 'x'.repeat(70 * 1024))
    expect(s.push('after')).toBe('after')
  })
})

it('stripBoxDrawing removes Ink borders', () => {
  expect(stripBoxDrawing('│ abc ╰──╯')).toBe(' abc ')
})
