// Terminal output → plain text. Claude Code's TUI (Ink) draws with escapes: colours (SGR), cursor
// moves that stand in for spaces (`ESC[nG`, `ESC[nC`), OSC 8 hyperlinks around URLs, and terminal
// queries. We keep only what a reader would see, with line breaks normalised to `\n`.

const ESC = '\u001b'
const BEL = '\u0007'

/** Removes every escape sequence. Horizontal cursor moves become spaces so words stay apart;
 * OSC sequences (hyperlink targets, title, queries) vanish entirely — the visible link text stays. */
export function stripAnsi(input: string): string {
  const s = new AnsiStripper()
  return s.push(input) + s.flush()
}

/** Streaming form for PTY chunks: an escape sequence (or a `\r\n` pair) split across chunks is
 * held back until its end arrives, and the cursor column carries over. */
export class AnsiStripper {
  private pending = ''
  private col = 0

  push(chunk: string): string {
    const input = this.pending + chunk
    const { text, consumed, col } = strip(input, this.col)
    this.pending = input.slice(consumed)
    // An escape that never ends (a broken stream) must not hold memory forever.
    if (this.pending.length > 64 * 1024) this.pending = ''
    this.col = col
    return text
  }

  /** End of stream: an unfinished escape is dropped, trailing carriage returns end the line. */
  flush(): string {
    const rest = this.pending
    this.pending = ''
    this.col = 0
    return rest.startsWith('\r') ? '\n' : ''
  }
}

function strip(input: string, startCol: number): { text: string; consumed: number; col: number } {
  let out = ''
  let col = startCol // column in the current output line, for `ESC[nG`
  let i = 0
  const n = input.length
  while (i < n) {
    const c = input[i]!
    if (c === ESC) {
      const next = input[i + 1]
      if (next === '[') {
        // CSI: parameters and intermediates, then one final byte in @..~
        let j = i + 2
        while (j < n && !/[@-~]/.test(input[j]!)) j++
        if (j >= n) break // incomplete: wait for the rest
        const params = input.slice(i + 2, j)
        const final = input[j]!
        if (final === 'G') {
          const target = Math.max(1, parseInt(params, 10) || 1) - 1
          const pad = target > col ? target - col : 0
          out += ' '.repeat(pad)
          col += pad
        } else if (final === 'C') {
          const pad = Math.max(1, parseInt(params, 10) || 1)
          out += ' '.repeat(pad)
          col += pad
        }
        i = j + 1
        continue
      }
      if (next === ']' || next === 'P' || next === '_' || next === '^') {
        // OSC / DCS / APC / PM: a string ended by BEL or ST (ESC \)
        let j = i + 2
        while (j < n && input[j] !== BEL && !(input[j] === ESC && input[j + 1] === '\\')) j++
        if (j >= n) break
        i = input[j] === BEL ? j + 1 : j + 2
        continue
      }
      // Two-character escapes (ESC 7, ESC 8, ESC =, …) and charset selection (ESC ( B)
      const len = next === '(' || next === ')' ? 3 : 2
      if (i + len > n) break
      i += len
      continue
    }
    if (c === '\r') {
      // `\r\r\n` and `\r\n` are one line break; a lone `\r` starts the line again, which for a
      // transcript is best shown as a new line.
      let j = i
      while (input[j] === '\r') j++
      if (j >= n) break // the `\n` may be in the next chunk
      if (input[j] === '\n') j++
      out += '\n'
      col = 0
      i = j
      continue
    }
    if (c === '\n') {
      out += '\n'
      col = 0
      i++
      continue
    }
    if (c === '\t') {
      out += ' '
      col++
      i++
      continue
    }
    const code = c.charCodeAt(0)
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) {
      i++
      continue
    }
    out += c
    col++
    i++
  }
  return { text: out, consumed: i, col }
}

/** Box-drawing characters Ink uses for borders; removed before reading values out of a screen. */
export function stripBoxDrawing(text: string): string {
  return text.replace(/[\u2500-\u257f]/g, '')
}
