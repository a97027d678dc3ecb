// The persistent outbox: every message for the server is written to SQLite (table server_outbox)
// before it is sent, and deleted only once the server has confirmed it (see OutboxPump). Bounded:
// when it grows past maxBytes the oldest task output is compacted into one notice per task, placed
// where the dropped lines were, so the server always learns what it did not get.
import type Database from 'better-sqlite3'
import type { Logger } from '../log/logger'
import { encodeMessage, type Message } from './protocol'

export const DEFAULT_OUTBOX_MAX_BYTES = 128 * 1024 * 1024
/** Compaction frees down to this fraction of maxBytes, so it does not run on every enqueue. */
const LOW_WATER = 0.75

export interface OutboxRow {
  seq: number
  frame: string
}

export interface CompactionReport {
  droppedLines: number
  droppedBytes: number
  /** Per task: how many lines were dropped. */
  tasks: Map<string, number>
}

export interface OutboxOptions {
  db: Database.Database
  log: Logger
  /** Upper bound of queued bytes before old output is compacted. */
  maxBytes?: number
  now?: () => Date
}

export class Outbox {
  private readonly db: Database.Database
  private readonly log: Logger
  private readonly maxBytes: number
  private readonly now: () => Date
  private readonly insertStmt: Database.Statement
  private readonly insertAtStmt: Database.Statement
  private readonly batchStmt: Database.Statement
  private readonly confirmStmt: Database.Statement
  private readonly sizeStmt: Database.Statement
  private readonly rangeStmt: Database.Statement
  private readonly listeners = new Set<() => void>()
  private totalBytes: number
  private totalCount: number
  /** Rows up to here are on the wire and must not be compacted away. */
  private inFlightThrough = 0
  private warnedUncompactable = false

  constructor(opts: OutboxOptions) {
    this.db = opts.db
    this.log = opts.log
    this.maxBytes = opts.maxBytes ?? DEFAULT_OUTBOX_MAX_BYTES
    this.now = opts.now ?? (() => new Date())
    this.insertStmt = this.db.prepare('INSERT INTO server_outbox (type, task_id, frame, bytes, created_at) VALUES (?, ?, ?, ?, ?)')
    this.insertAtStmt = this.db.prepare('INSERT INTO server_outbox (seq, type, task_id, frame, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    this.batchStmt = this.db.prepare('SELECT seq, frame FROM server_outbox WHERE seq > ? ORDER BY seq LIMIT ?')
    this.confirmStmt = this.db.prepare('DELETE FROM server_outbox WHERE seq <= ?')
    this.sizeStmt = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM server_outbox')
    this.rangeStmt = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM server_outbox WHERE seq <= ?')
    const size = this.sizeStmt.get() as { n: number; b: number }
    this.totalCount = size.n
    this.totalBytes = size.b
  }

  /** Persists one message; it is on disk when this returns. Throws ProtocolError for a message
   * that does not match PROTOCOL.md (a caller bug). */
  enqueue(message: Message): void {
    this.enqueueMany([message])
  }

  /** Persists several messages in one transaction, in order. */
  enqueueMany(messages: readonly Message[]): void {
    if (messages.length === 0) return
    const frames = messages.map((m) => ({ m, frame: encodeMessage(m) }))
    const at = this.now().toISOString()
    let added = 0
    this.db.transaction(() => {
      for (const { m, frame } of frames) {
        const bytes = Buffer.byteLength(frame, 'utf8')
        this.insertStmt.run(m.type, taskIdOf(m), frame, bytes, at)
        added += bytes
      }
    })()
    this.totalBytes += added
    this.totalCount += frames.length
    if (this.totalBytes > this.maxBytes) this.compact()
    for (const l of this.listeners) l()
  }

  /** The next rows to send, oldest first. */
  nextBatch(afterSeq: number, limit: number): OutboxRow[] {
    return this.batchStmt.all(afterSeq, limit) as OutboxRow[]
  }

  /** The server has everything up to and including `seq`: forget it. */
  confirm(seq: number): void {
    const gone = this.db.transaction(() => {
      const range = this.rangeStmt.get(seq) as { n: number; b: number }
      if (range.n > 0) this.confirmStmt.run(seq)
      return range
    })()
    this.totalCount -= gone.n
    this.totalBytes -= gone.b
  }

  /** Set by the sender: rows through `seq` are on the wire (0 when nothing is). */
  setInFlightThrough(seq: number): void {
    this.inFlightThrough = seq
  }

  size(): { count: number; bytes: number } {
    return { count: this.totalCount, bytes: this.totalBytes }
  }

  /** Called after every enqueue, so a sender can wake up. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Drops the oldest task output (never status changes, completions or results) until the outbox
   * is under its low-water mark, leaving one notice per task where its lines were. */
  compact(): CompactionReport {
    const target = Math.floor(this.maxBytes * LOW_WATER)
    const report: CompactionReport = { droppedLines: 0, droppedBytes: 0, tasks: new Map() }
    const select = this.db.prepare(
      "SELECT seq, task_id AS taskId, bytes FROM server_outbox WHERE type = 'taskOutput' AND seq > ? ORDER BY seq LIMIT 2000",
    )
    const del = this.db.prepare('DELETE FROM server_outbox WHERE seq = ?')
    const oldNotices = this.db.prepare("SELECT seq, frame FROM server_outbox WHERE type = 'notice' AND task_id = ? AND seq > ? AND seq < ?")
    const lastSeq = new Map<string, number>()
    this.db.transaction(() => {
      let after = this.inFlightThrough
      let bytes = this.totalBytes
      while (bytes > target) {
        const rows = select.all(after) as { seq: number; taskId: string; bytes: number }[]
        if (rows.length === 0) break
        for (const r of rows) {
          if (bytes <= target) break
          del.run(r.seq)
          bytes -= r.bytes
          report.droppedBytes += r.bytes
          report.droppedLines++
          report.tasks.set(r.taskId, (report.tasks.get(r.taskId) ?? 0) + 1)
          lastSeq.set(r.taskId, r.seq)
          after = r.seq
        }
      }
      // The notice takes the seq of the task's last dropped line: it arrives exactly at the gap.
      // Earlier notices of the task in front of it are folded in, so repeated compactions leave one.
      const at = this.now().toISOString()
      for (const [taskId, n] of report.tasks) {
        let total = n
        for (const old of oldNotices.all(taskId, this.inFlightThrough, lastSeq.get(taskId)) as { seq: number; frame: string }[]) {
          total += Number(/\] (\d+) earlier output line/.exec(old.frame)?.[1] ?? 0)
          del.run(old.seq)
        }
        const frame = encodeMessage({ type: 'taskOutput', taskId, output: this.noticeText(total), isPartial: false })
        this.insertAtStmt.run(lastSeq.get(taskId), 'notice', taskId, frame, Buffer.byteLength(frame, 'utf8'), at)
      }
    })()
    const size = this.sizeStmt.get() as { n: number; b: number }
    this.totalCount = size.n
    this.totalBytes = size.b
    if (report.droppedLines > 0) {
      this.log.warn('server outbox over its limit: oldest task output compacted', {
        droppedLines: report.droppedLines,
        droppedBytes: report.droppedBytes,
        tasks: [...report.tasks.keys()],
        limitBytes: this.maxBytes,
      })
    } else if (!this.warnedUncompactable) {
      this.warnedUncompactable = true
      this.log.warn('server outbox is over its limit but holds no task output to compact; keeping every message', {
        bytes: this.totalBytes,
        limitBytes: this.maxBytes,
      })
    }
    return report
  }

  private noticeText(lines: number): string {
    const mib = (this.maxBytes / (1024 * 1024)).toFixed(0)
    return `[makima] ${lines} earlier output line${lines === 1 ? '' : 's'} of this task ${lines === 1 ? 'was' : 'were'} dropped here: the queue of messages for the server exceeded its ${mib} MiB limit while they could not be delivered.\n`
  }
}

function taskIdOf(m: Message): string | null {
  return 'taskId' in m && typeof m.taskId === 'string' ? m.taskId : null
}
