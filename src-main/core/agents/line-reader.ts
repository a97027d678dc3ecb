// Splits a byte stream into text lines. Works on bytes, not strings: '\n' never occurs inside a
// multi-byte UTF-8 sequence, so a character split across chunks is decoded whole once its line is
// complete; invalid bytes become U+FFFD instead of failing. One line is capped (16 MiB by default):
// the first bytes are kept, the rest is counted and dropped, and the line says it was truncated.

export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024

export interface ReadLine {
  text: string
  /** Set when the line was longer than the cap: its full length in bytes. */
  truncatedFromBytes?: number
}

export interface LineReaderOptions {
  maxLineBytes?: number
  /** Drop empty lines (after removing a trailing '\r'). Default true. */
  skipBlank?: boolean
}

const NL = 0x0a

export class LineReader {
  private readonly max: number
  private readonly skipBlank: boolean
  private parts: Buffer[] = []
  private partsBytes = 0
  /** Bytes of the current line beyond the cap (dropped, only counted). */
  private droppedBytes = 0

  constructor(opts: LineReaderOptions = {}) {
    this.max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
    this.skipBlank = opts.skipBlank ?? true
  }

  /** Bytes held for the unfinished line (bounded by the cap). */
  get pendingBytes(): number {
    return this.partsBytes
  }

  push(chunk: Buffer): ReadLine[] {
    const out: ReadLine[] = []
    let start = 0
    while (start < chunk.length) {
      const nl = chunk.indexOf(NL, start)
      if (nl === -1) {
        this.keep(chunk.subarray(start), true)
        break
      }
      if (this.partsBytes === 0 && this.droppedBytes === 0 && nl - start <= this.max) {
        // A whole line inside this chunk (nearly every line): decoded in place, never copied.
        this.decode(out, chunk, start, nl, 0)
      } else {
        // The end of a line begun in earlier chunks: joined once, here (a view is enough).
        this.keep(chunk.subarray(start, nl), false)
        this.finish(out)
      }
      start = nl + 1
    }
    return out
  }

  /** The stream ended: an unfinished last line is still a line. */
  end(): ReadLine[] {
    const out: ReadLine[] = []
    if (this.partsBytes > 0 || this.droppedBytes > 0) this.finish(out)
    return out
  }

  /** `copy`: the piece outlives this push (the caller's chunk buffer may be reused, and a small
   * view would pin a large chunk). */
  private keep(piece: Buffer, copy: boolean): void {
    if (piece.length === 0) return
    const room = this.max - this.partsBytes
    if (room <= 0) {
      this.droppedBytes += piece.length
      return
    }
    const kept = piece.length <= room ? piece : piece.subarray(0, room)
    this.parts.push(copy ? Buffer.from(kept) : kept)
    this.partsBytes += kept.length
    this.droppedBytes += piece.length - kept.length
  }

  private finish(out: ReadLine[]): void {
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsBytes)
    const dropped = this.droppedBytes
    this.parts = []
    this.partsBytes = 0
    this.droppedBytes = 0
    this.decode(out, buf, 0, buf.length, dropped)
  }

  /** buf[start, end) is one line's kept bytes; `dropped` more were cut off past the cap. */
  private decode(out: ReadLine[], buf: Buffer, start: number, end: number, dropped: number): void {
    const total = end - start + dropped
    let len = end
    if (dropped > 0) {
      len = start + utf8Boundary(buf.subarray(start, end), end - start)
    } else if (len > start && buf[len - 1] === 0x0d) {
      len-- // CRLF
    }
    if (len === start && dropped === 0 && this.skipBlank) return
    const text = buf.toString('utf8', start, len)
    out.push(dropped > 0 ? { text, truncatedFromBytes: total } : { text })
  }
}

/** Largest length <= len that does not cut a UTF-8 character in half. */
function utf8Boundary(buf: Buffer, len: number): number {
  let i = len
  // Step back over continuation bytes (10xxxxxx), at most 3.
  while (i > 0 && len - i < 3 && (buf[i - 1]! & 0xc0) === 0x80) i--
  if (i === 0) return len
  const lead = buf[i - 1]!
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
  return len - (i - 1) >= need ? len : i - 1
}

/** The notice shown in place of the dropped part of an over-long line. */
export function truncationNotice(line: ReadLine, maxLineBytes = DEFAULT_MAX_LINE_BYTES): string {
  return `[makima] output line truncated: ${line.truncatedFromBytes ?? 0} bytes, only the first ${maxLineBytes} were kept`
}
