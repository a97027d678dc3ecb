// The recent output of one terminal, kept in main so a view that comes back (another task and
// back, a reload) redraws what the shell printed meanwhile. Bounded: the oldest chunks go first.
// Offsets count UTF-16 code units since the terminal opened, like the flow's sizes.

export const DEFAULT_SCROLLBACK_CHARS = 512 * 1024

export class Scrollback {
  private chunks: string[] = []
  private size = 0
  /** Characters ever appended: the offset of the next chunk. */
  private total = 0

  constructor(private readonly maxChars = DEFAULT_SCROLLBACK_CHARS) {}

  /** Appends `data`; returns its offset. */
  append(data: string): number {
    const offset = this.total
    this.total += data.length
    this.chunks.push(data.length > this.maxChars ? data.slice(-this.maxChars) : data)
    this.size += Math.min(data.length, this.maxChars)
    while (this.size > this.maxChars) {
      const excess = this.size - this.maxChars
      const first = this.chunks[0]!
      if (first.length <= excess) this.chunks.shift()
      else this.chunks[0] = first.slice(excess) // may cut an escape sequence; xterm skips the rest
      this.size -= Math.min(first.length, excess)
    }
    return offset
  }

  /** What is kept, and the offset just past it. */
  snapshot(): { text: string; end: number } {
    return { text: this.chunks.join(''), end: this.total }
  }
}
