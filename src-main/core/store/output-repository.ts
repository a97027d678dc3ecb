// Task output: lines numbered by a per-task sequence, packed into chunk rows (output-codec.ts) by
// the batches the output pipeline appends. A per-task row (output_tasks) keeps the newest seq and
// the stored lines and bytes, so no read counts rows. Reads walk chunk by chunk through an index
// (task, last seq): a page or a tail costs the same on a task of a hundred lines or a million.
//
// Per-task cap: past maxBytesPerTask the oldest chunks after the first (the start of the run) are
// dropped, never the newest; one marker line stands in their place at the first dropped seq.
import type Database from 'better-sqlite3'
import { setImmediate as yieldNow } from 'node:timers/promises'
import { decodeChunk, encodeChunk } from './output-codec'

export interface OutputLine {
  seq: number
  kind: string
  data: string
  createdAt: string
}

export interface NewOutputLine {
  kind: string
  data: string
}

export interface OutputStats {
  /** The newest line's seq (lines ever written; what the UI shows as the total). */
  lastSeq: number
  /** Lines and data bytes stored now. */
  lines: number
  bytes: number
  droppedLines: number
  droppedBytes: number
}

export interface OutputRepositoryOptions {
  /** Data bytes kept per task before the oldest middle is dropped (default 1 GiB). */
  maxBytesPerTask?: number
  /** Data bytes per chunk row (default 64 KiB; a longer line gets a chunk of its own). */
  chunkBytes?: number
}

export const DEFAULT_MAX_OUTPUT_BYTES_PER_TASK = 1024 * 1024 * 1024

interface Meta {
  key: number
  lastSeq: number
  lines: number
  bytes: number
  dropFrom: number | null
  dropTo: number | null
  droppedBytes: number
}

interface Chunk {
  id: number
  firstSeq: number
  lastSeq: number
  bytes: number
  createdAt: number
  body: Buffer
}

const CHUNK_COLS = 'id, first_seq AS firstSeq, last_seq AS lastSeq, bytes, created_at AS createdAt'

export class OutputRepository {
  private readonly cap: number
  private readonly chunkBytes: number
  private readonly s: Record<'meta' | 'newMeta' | 'saveMeta' | 'insert' | 'after' | 'before' | 'first' | 'dropOne' | 'deleteOne' | 'deleteSome' | 'deleteMeta', Database.Statement>

  constructor(
    private readonly db: Database.Database,
    opts: OutputRepositoryOptions = {},
  ) {
    this.cap = opts.maxBytesPerTask ?? DEFAULT_MAX_OUTPUT_BYTES_PER_TASK
    this.chunkBytes = opts.chunkBytes ?? 64 * 1024
    this.s = {
      meta: db.prepare('SELECT task_key AS key, last_seq AS lastSeq, lines, bytes, drop_from AS dropFrom, drop_to AS dropTo, dropped_bytes AS droppedBytes FROM output_tasks WHERE task_id = ?'),
      newMeta: db.prepare('INSERT INTO output_tasks (task_id) VALUES (?) RETURNING task_key AS key'),
      saveMeta: db.prepare('UPDATE output_tasks SET last_seq = ?, lines = ?, bytes = ?, drop_from = ?, drop_to = ?, dropped_bytes = ? WHERE task_key = ?'),
      insert: db.prepare('INSERT INTO output_chunks (task_key, first_seq, last_seq, bytes, created_at, body) VALUES (?, ?, ?, ?, ?, ?)'),
      after: db.prepare(`SELECT ${CHUNK_COLS}, body FROM output_chunks WHERE task_key = ? AND last_seq > ? ORDER BY last_seq LIMIT 1`),
      before: db.prepare(`SELECT ${CHUNK_COLS}, body FROM output_chunks WHERE task_key = ? AND last_seq < ? ORDER BY last_seq DESC LIMIT 1`),
      first: db.prepare(`SELECT ${CHUNK_COLS} FROM output_chunks WHERE task_key = ? ORDER BY last_seq LIMIT 1`),
      dropOne: db.prepare(`SELECT ${CHUNK_COLS} FROM output_chunks WHERE task_key = ? AND last_seq > ? ORDER BY last_seq LIMIT 1`),
      deleteOne: db.prepare('DELETE FROM output_chunks WHERE id = ?'),
      deleteSome: db.prepare('DELETE FROM output_chunks WHERE id IN (SELECT id FROM output_chunks WHERE task_key = ? LIMIT ?)'),
      deleteMeta: db.prepare('DELETE FROM output_tasks WHERE task_key = ?'),
    }
  }

  /** Appends lines in one transaction; returns them with their sequence numbers. */
  append(taskId: string, lines: readonly NewOutputLine[]): OutputLine[] {
    if (lines.length === 0) return []
    const now = Date.now()
    const createdAt = new Date(now).toISOString()
    return this.db.transaction(() => {
      const m = this.meta(taskId) ?? { ...emptyMeta(), key: (this.s.newMeta.get(taskId) as { key: number }).key }
      const out: OutputLine[] = []
      for (const chunk of this.split(lines)) {
        const first = m.lastSeq + 1
        const { body, bytes } = encodeChunk(chunk)
        this.s.insert.run(m.key, first, first + chunk.length - 1, bytes, now, body)
        chunk.forEach((l, i) => out.push({ seq: first + i, kind: l.kind, data: l.data, createdAt }))
        m.lastSeq += chunk.length
        m.lines += chunk.length
        m.bytes += bytes
      }
      if (m.bytes > this.cap) this.dropOldest(m)
      this.s.saveMeta.run(m.lastSeq, m.lines, m.bytes, m.dropFrom, m.dropTo, m.droppedBytes, m.key)
      return out
    })()
  }

  /** Lines with seq > afterSeq, oldest first. */
  page(taskId: string, afterSeq = 0, limit = 1000): OutputLine[] {
    return take(this.ascending(taskId, afterSeq), limit)
  }

  /** The last `n` lines, oldest first. */
  tail(taskId: string, n: number): OutputLine[] {
    return take(this.descending(taskId), n).reverse()
  }

  /** Lines written: the newest seq, the task's total for the UI (0 when none). Reads one row. */
  count(taskId: string): number {
    return this.meta(taskId)?.lastSeq ?? 0
  }

  stats(taskId: string): OutputStats {
    const m = this.meta(taskId) ?? { ...emptyMeta(), key: 0 }
    const droppedLines = m.dropFrom === null || m.dropTo === null ? 0 : m.dropTo - m.dropFrom + 1
    return { lastSeq: m.lastSeq, lines: m.lines, bytes: m.bytes, droppedLines, droppedBytes: m.droppedBytes }
  }

  /** Lines after `afterSeq`, oldest first, read one chunk at a time (nothing held between steps). */
  *ascending(taskId: string, afterSeq = 0): Generator<OutputLine> {
    const m = this.meta(taskId)
    if (!m) return
    let cursor = afterSeq
    for (;;) {
      const c = this.s.after.get(m.key, cursor) as Chunk | undefined
      if (!c) return
      if (m.dropFrom !== null && m.dropTo !== null && cursor < m.dropFrom && c.firstSeq > m.dropTo) yield this.marker(m, c.createdAt)
      const lines = chunkLines(c)
      for (const l of lines) if (l.seq > cursor) yield l
      cursor = c.lastSeq
    }
  }

  /** Every line, newest first, read one chunk at a time. */
  *descending(taskId: string): Generator<OutputLine> {
    const m = this.meta(taskId)
    if (!m) return
    let cursor = m.lastSeq + 1
    for (;;) {
      const c = this.s.before.get(m.key, cursor) as Chunk | undefined
      if (!c) return
      const lines = chunkLines(c)
      for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.seq < cursor) yield lines[i]!
      if (m.dropTo !== null && c.firstSeq === m.dropTo + 1) yield this.marker(m, c.createdAt)
      cursor = c.firstSeq
    }
  }

  /** Frees a task's output, a few chunks per transaction, then gives the pages back to the disk. */
  async deleteFor(taskId: string, opts: { chunksPerStep?: number; pagesPerStep?: number } = {}): Promise<void> {
    const m = this.meta(taskId)
    if (!m) return
    while (this.s.deleteSome.run(m.key, opts.chunksPerStep ?? 64).changes > 0) await yieldNow()
    this.s.deleteMeta.run(m.key)
    await this.vacuum(opts.pagesPerStep)
  }

  /** Incremental vacuum in small steps (only when the file has auto_vacuum = INCREMENTAL). */
  async vacuum(pagesPerStep = 256): Promise<void> {
    if (this.db.pragma('auto_vacuum', { simple: true }) !== 2) return
    while ((this.db.pragma('freelist_count', { simple: true }) as number) > 0) {
      this.db.pragma(`incremental_vacuum(${pagesPerStep})`)
      await yieldNow()
    }
  }

  private meta(taskId: string): Meta | undefined {
    return this.s.meta.get(taskId) as Meta | undefined
  }

  private *split(lines: readonly NewOutputLine[]): Generator<NewOutputLine[]> {
    let chunk: NewOutputLine[] = []
    let bytes = 0
    for (const l of lines) {
      const n = Buffer.byteLength(l.data, 'utf8')
      if (chunk.length > 0 && bytes + n > this.chunkBytes) {
        yield chunk
        chunk = []
        bytes = 0
      }
      chunk.push(l)
      bytes += n
    }
    if (chunk.length > 0) yield chunk
  }

  /**
   * Drops whole chunks after the first, oldest first, down to the cap less some slack (so it does
   * not run on every batch, and each run is bounded); never the newest chunk.
   */
  private dropOldest(m: Meta): void {
    const target = this.cap - Math.min(4 * 1024 * 1024, Math.floor(this.cap / 8))
    const head = this.s.first.get(m.key) as Chunk | undefined
    if (!head) return
    let cursor = m.dropTo ?? head.lastSeq
    while (m.bytes > target) {
      const c = this.s.dropOne.get(m.key, cursor) as Chunk | undefined
      if (!c || c.lastSeq >= m.lastSeq) return
      this.s.deleteOne.run(c.id)
      m.dropFrom ??= c.firstSeq
      m.dropTo = c.lastSeq
      m.lines -= c.lastSeq - c.firstSeq + 1
      m.bytes -= c.bytes
      m.droppedBytes += c.bytes
      cursor = c.lastSeq
    }
  }

  private marker(m: Meta, at: number): OutputLine {
    const n = m.dropTo! - m.dropFrom! + 1
    const mb = (m.droppedBytes / (1024 * 1024)).toFixed(1)
    const capMb = Math.round(this.cap / (1024 * 1024))
    return {
      seq: m.dropFrom!, kind: 'notice', createdAt: new Date(at).toISOString(),
      data: `… ${n} older lines (${mb} MB) were dropped here: this task's output is kept under ${capMb} MB, its start and its newest lines first …`,
    }
  }
}

function emptyMeta(): Omit<Meta, 'key'> {
  return { lastSeq: 0, lines: 0, bytes: 0, dropFrom: null, dropTo: null, droppedBytes: 0 }
}

function chunkLines(c: Chunk): OutputLine[] {
  const createdAt = new Date(c.createdAt).toISOString()
  return decodeChunk(c.body).map((l, i) => ({ seq: c.firstSeq + i, kind: l.kind, data: l.data, createdAt }))
}

function take<T>(it: Iterator<T>, n: number): T[] {
  const out: T[] = []
  while (out.length < n) {
    const r = it.next()
    if (r.done) break
    out.push(r.value)
  }
  return out
}
