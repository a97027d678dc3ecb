// Reading `claude setup-token`'s screen once escapes are stripped (see ansi.ts): the printed token,
// and the prompts and errors that tell the login flow where the TUI stands.
import { stripBoxDrawing } from './ansi'

export const TOKEN_PREFIX = 'sk-ant-oat01-'
const TOKEN_CHARS = /^[A-Za-z0-9_-]+/
const TOKEN_LINE = /^[A-Za-z0-9_-]+$/

export interface TokenFound {
  token: string
  /** False while the token may still continue in output that has not arrived yet. */
  complete: boolean
}

/** The `sk-ant-oat01-…` token in screen text. Ink colours it and wraps it at the terminal width,
 * so continuation lines (token characters only, once borders and indentation are gone) are
 * joined until a blank line or any other text. */
export function extractToken(text: string): TokenFound | null {
  const start = text.indexOf(TOKEN_PREFIX)
  if (start < 0) return null
  const lines = text.slice(start).split('\n')
  const first = lines[0]!
  let token = TOKEN_CHARS.exec(first)![0]
  const terminated = lines.length > 1
  if (stripBoxDrawing(first.slice(token.length)).trim() !== '') return done(token, true)
  if (!terminated) return done(token, false)
  for (let i = 1; i < lines.length; i++) {
    const isLast = i === lines.length - 1
    const part = stripBoxDrawing(lines[i]!).trim()
    if (isLast) {
      // An unterminated last line may be half a chunk: it decides nothing yet unless it is text.
      if (part === '' || TOKEN_LINE.test(part)) return done(token, false)
      return done(token, true)
    }
    if (!TOKEN_LINE.test(part)) return done(token, true)
    token += part
  }
  return done(token, false)
}

function done(token: string, complete: boolean): TokenFound | null {
  return token.length > TOKEN_PREFIX.length + 8 ? { token, complete } : complete ? null : { token, complete }
}

export type ScreenSignal =
  | { kind: 'prompt'; at: number }
  | { kind: 'retry-prompt'; at: number }
  | { kind: 'code-error'; at: number; message: string }

/** Prompts and errors in screen text, with their positions, in the order they appear. */
export function screenSignals(text: string): ScreenSignal[] {
  const out: ScreenSignal[] = []
  for (const m of text.matchAll(/Paste code here/g)) out.push({ kind: 'prompt', at: m.index })
  for (const m of text.matchAll(/Press Enter to retry/g)) out.push({ kind: 'retry-prompt', at: m.index })
  for (const m of text.matchAll(/(Invalid code[^\n]*|OAuth error[^\n]*)/g)) {
    out.push({ kind: 'code-error', at: m.index, message: stripBoxDrawing(m[1]!).trim() })
  }
  return out.sort((a, b) => a.at - b.at)
}

/** The last signal of a kind, or null. */
export function lastSignal<K extends ScreenSignal['kind']>(signals: ScreenSignal[], kind: K): Extract<ScreenSignal, { kind: K }> | null {
  for (let i = signals.length - 1; i >= 0; i--) {
    if (signals[i]!.kind === kind) return signals[i] as Extract<ScreenSignal, { kind: K }>
  }
  return null
}
