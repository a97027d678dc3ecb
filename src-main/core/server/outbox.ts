// The persistent outbox: every message for the server is written to SQLite (table server_outbox)
// before it is sent, and deleted only once the server has confirmed it (see OutboxPump). Bounded:
// when it grows past maxBytes the oldest task output is compacted into one notice per task, placed
// where the dropped lines were, so the server always learns what it did not get.
// Secrets stay off the disk: a registerToolKey row holds only the key's SHA-256 (a reference), and
// the live key is read back from the task engine when the row is sent. A key that is gone by then
// (revoked, or lost with a restart) is dead anyway: its row is dropped unsent.
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { Logger } from '../log/logger'
import { encodeMessage, type Message } from './protocol'

const KEY_REF = 'sha256:'
const keyRef = (key: string) => KEY_REF + createHash('sha256').update(key, 'utf8').digest('hex')

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
  /** The task's live tool key, read when its registerToolKey row is sent (never stored). */
  toolKey?: (taskId: string) => string | undefined
}

export class Outbox {
  private readonly db: Database.Database
  private readonly log: Logger
  private readonly maxBytes: number
  private readonly now: () => Date
  private readonly toolKey: (taskId: string) => string | undefined
  private readonly deleteStmt: Database.Statement
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
    this.toolKey = opts.toolKey ?? (() => undefined)
    this.deleteStmt = this.db.prepare('DELETE FROM server_outbox WHERE seq = ?')
    this.insertStmt = this.db.prepare('INSERT INTO server_outbox (type, task_id, frame, bytes, created_at) VALUES (?, ?, ?, ?, ?)')
    this.insertAtStmt = this.db.prepare('INSERT INTO server_outbox (seq, type, task_id, frame, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    this.batchStmt = this.db.prepare('SELECT seq, type, frame FROM server_outbox WHERE seq > ? ORDER BY seq LIMIT ?')
    this.confirmStmt = this.db.prepare('DELETE FROM server_outbox WHERE seq <= ?')
    this.sizeStmt = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM server_outbox')
    this.rangeStmt = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM server_outbox WHERE seq <= ?')
    this.scrubStoredKeys()
    const size = this.sizeStmt.get() as { n: number; b: number }
    this.totalCount = size.n
    this.totalBytes = size.b
  }

  /** Rows an older version stored with the key itself become references; the WAL that still
   * holds the old pages is checkpointed and truncated (secure_delete zeroes the freed space). */
  private scrubStoredKeys(): void {
    const rows = this.db.prepare("SELECT seq, frame FROM server_outbox WHERE type = 'registerToolKey'").all() as { seq: number; frame: string }[]
    const update = this.db.prepare('UPDATE server_outbox SET frame = ?, bytes = ? WHERE seq = ?')
    let scrubbed = 0
    this.db.transaction(() => {
      for (const r of rows) {
        const m = JSON.parse(r.frame) as { taskId: string; key: string }
        if (m.key.startsWith(KEY_REF)) continue
        const frame = encodeMessage({ type: 'registerToolKey', taskId: m.taskId, key: keyRef(m.key) })
        update.run(frame, Buffer.byteLength(frame, 'utf8'), r.seq)
        scrubbed++
      }
    })()
    if (scrubbed > 0) {
      this.db.pragma('wal_checkpoint(TRUNCATE)')
      this.log.info('removed tool keys stored in plain text by an older version from the outbox', { rows: scrubbed })
    }
  }

  /** Persists one message; it is on disk when this returns. Throws ProtocolError for a message
   * that does not match PROTOCOL.md (a caller bug). */
  enqueue(message: Message): void {
    this.enqueueMany([message])
  }

  /** Persists several messages in one transaction, in order. */
  enqueueMany(messages: readonly Message[]): void {
    if (messages.length === 0) return
    const frames = messages.map((m) => ({ m, frame: encodeMessage(m.type === 'registerToolKey' ? { ...m, key: keyRef(m.key) } : m) }))
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

  /** The next rows to send, oldest first, tool keys filled in. A registerToolKey whose key is no
   * longer live is deleted here (nothing after afterSeq is on the wire yet). */
  nextBatch(afterSeq: number, limit: number): OutboxRow[] {
    for (;;) {
      const rows = this.batchStmt.all(afterSeq, limit) as (OutboxRow & { type: string })[]
      const out: OutboxRow[] = []
      for (const r of rows) {
        if (r.type !== 'registerToolKey') {
          out.push({ seq: r.seq, frame: r.frame })
          continue
        }
        const frame = this.withLiveKey(r.frame)
        if (frame !== null) out.push({ seq: r.seq, frame })
        else this.drop(r.seq, r.frame)
      }
      if (out.length > 0 || rows.length === 0) return out
    }
  }

  private withLiveKey(stored: string): string | null {
    const m = JSON.parse(stored) as { taskId: string; key: string }
    const live = this.toolKey(m.taskId)
    return live !== undefined && keyRef(live) === m.key ? encodeMessage({ type: 'registerToolKey', taskId: m.taskId, key: live }) : null
  }

  private drop(seq: number, frame: string): void {
    this.deleteStmt.run(seq)
    this.totalCount--
    this.totalBytes -= Buffer.byteLength(frame, 'utf8')
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
    const del = this.deleteStmt
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
