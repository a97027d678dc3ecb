import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { findInVisibleText, findLoginUrl } from '../../../../src-main/core/auth/login-url'
import { REAL_SCREEN_FILE } from '../../../fixtures/fake-setup-token'

const ESC = '\u001b'
const BEL = '\u0007'
const NEW = 'https://claude.com/cai/oauth/authorize?code=true&client_id=9d1c250a-e61b-44d9-88ed-5944d1962f5e&response_type=code&redirect_uri=https%3A%2F%2Fplatform.claude.com%2Foauth%2Fcode%2Fcallback&scope=user%3Ainference&code_challenge=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ&code_challenge_method=S256&state=QPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba'
const link = (target: string, visible = target) => `${ESC}]8;id=x1;${target}${BEL}${visible}${ESC}]8;;${BEL}`

describe('findLoginUrl', () => {
  it('finds the URL on the real 2.1.331 screen, exactly once', () => {
    const url = findLoginUrl(readFileSync(REAL_SCREEN_FILE, 'utf8'))
    expect(url).toMatch(/^https:\/\/claude\.ai\/oauth\/authorize\?[\w-]+$/)
  })

  it("accepts today's host and the original's two", () => {
    expect(findLoginUrl(`Use the URL:\r\n${link(NEW)}\r\n`)).toBe(NEW)
    expect(findLoginUrl('go to https://claude.ai/oauth/authorize?a=1&b=2 now')).toBe('https://claude.ai/oauth/authorize?a=1&b=2')
    expect(findLoginUrl('"https://console.anthropic.com/oauth/authorize?client=3"')).toBe('https://console.anthropic.com/oauth/authorize?client=3')
  })

  it('ignores other URLs and a bare host', () => {
    expect(findLoginUrl('see https://docs.claude.com/en/setup and https://example.com/oauth/authorize?x')).toBeNull()
    expect(findLoginUrl('https://claude.ai/oauth')).toBeNull()
  })

  it('prefers the hyperlink target when the visible text is wrapped into pieces', () => {
    const raw = `${link(NEW, NEW.slice(0, 200))}\r\r\n${link(NEW, NEW.slice(200))}\r\r\n`
    expect(findLoginUrl(raw, 200)).toBe(NEW)
  })

  it('cuts a hyperlink target glued to its visible copy (a naive strip)', () => {
    expect(findInVisibleText(`${NEW}${NEW}\n`)).toBe(NEW)
    expect(findLoginUrl(`${NEW}${BEL}${NEW}`)).toBe(NEW)
  })

  it('joins a visible URL wrapped at the terminal width, and only then', () => {
    const wrapped = `${NEW.slice(0, 200)}\n${NEW.slice(200)}\n\nPaste code here`
    expect(findLoginUrl(wrapped, 200)).toBe(NEW)
    expect(findLoginUrl(`https://claude.ai/oauth/authorize?a=1\nnext line`, 200)).toBe('https://claude.ai/oauth/authorize?a=1')
  })
})
