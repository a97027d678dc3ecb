import { describe, expect, it } from 'vitest'
import { AnsiStripper, stripAnsi } from '../../../../src-main/core/auth/ansi'
import { extractToken, screenSignals } from '../../../../src-main/core/auth/setup-token-screen'

const ESC = '\u001b'
const TOKEN = 'sk-ant-oat01-' + 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-'.repeat(3).slice(0, 95)

function successScreen(token: string, wrap: number, indent = ''): string {
  const lines: string[] = []
  for (let i = 0; i < token.length; i += wrap) lines.push(`${indent}${ESC}[33m${token.slice(i, i + wrap)}${ESC}[39m`)
  return (
    `${ESC}[32m✓${ESC}[39m${ESC}[3GLong-lived${ESC}[14Gauthentication token created successfully!\r\r\n\r\r\n` +
    `Your OAuth token (valid for 1 year):\r\r\n\r\r\n${lines.join('\r\r\n')}\r\r\n\r\r\n` +
    `${ESC}[2mStore this token securely. You won't be able to see it again.${ESC}[22m\r\r\n`
  )
}

describe('extractToken', () => {
  it('joins a coloured token wrapped over several lines', () => {
    for (const wrap of [200, 40, 37, 13]) {
      expect(extractToken(stripAnsi(successScreen(TOKEN, wrap)))).toEqual({ token: TOKEN, complete: true })
      expect(extractToken(stripAnsi(successScreen(TOKEN, wrap, `${ESC}[3G`)))).toEqual({ token: TOKEN, complete: true })
    }
  })

  it('is complete only once the token is followed by a blank line or other text', () => {
    const screen = stripAnsi(successScreen(TOKEN, 40))
    const start = screen.indexOf('sk-ant')
    expect(extractToken(screen.slice(0, start + 20))).toEqual({ token: TOKEN.slice(0, 20), complete: false })
    expect(extractToken(screen.slice(0, start + 41))).toEqual({ token: TOKEN.slice(0, 40), complete: false })
    expect(extractToken(screen.slice(0, start + 5))).toBeNull()
  })

  it('survives PTY chunks that split "sk-ant-oat01" and the escapes around it', () => {
    const raw = successScreen(TOKEN, 40)
    const cut = raw.indexOf('sk-ant-oa') + 5
    const s = new AnsiStripper()
    const first = s.push(raw.slice(0, cut))
    expect(extractToken(first)).toBeNull()
    expect(extractToken(first + s.push(raw.slice(cut)))).toEqual({ token: TOKEN, complete: true })
  })

  it('stops at text on the same line, inside a box, or at a prose line without a blank line', () => {
    expect(extractToken(`${TOKEN} is yours\n`)).toEqual({ token: TOKEN, complete: true })
    expect(extractToken(`│ ${TOKEN.slice(0, 60)} │\n│ ${TOKEN.slice(60)} │\n╰──╯\n`)).toEqual({ token: TOKEN, complete: true })
    expect(extractToken(`${TOKEN}\nStore this token securely.\n`)).toEqual({ token: TOKEN, complete: true })
  })
})

describe('screenSignals', () => {
  it('finds prompts, errors and retry screens in order', () => {
    const text = 'Paste code here if prompted >\nOAuth error: Request failed with status code 400\n\nPress Enter to retry.\nPaste code here\nInvalid code. Please make sure the full code was copied.\n'
    expect(screenSignals(text).map((s) => (s.kind === 'code-error' ? s.message : s.kind))).toEqual([
      'prompt', 'OAuth error: Request failed with status code 400', 'retry-prompt', 'prompt', 'Invalid code. Please make sure the full code was copied.',
    ])
  })
})
