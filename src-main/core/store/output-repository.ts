// task_output: append-only lines per task, numbered by a per-task sequence. Appends are batched
// into one transaction by the caller (the output pipeline), reads are paged.
import type Database from 'better-sqlite3'

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

export class OutputRepository {
  private readonly insert: Database.Statement
  private readonly maxSeq: Database.Statement
  private readonly nextSeq = new Map<string, number>()

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO task_output (task_id, seq, kind, data, created_at) VALUES (?, ?, ?, ?, ?)')
    this.maxSeq = db.prepare('SELECT MAX(seq) AS seq FROM task_output WHERE task_id = ?')
  }

  /** Appends lines in one transaction; returns them with their sequence numbers. */
  append(taskId: string, lines: readonly NewOutputLine[]): OutputLine[] {
    const now = new Date().toISOString()
    return this.db.transaction(() => {
      let seq = this.nextSeq.get(taskId) ?? ((this.maxSeq.get(taskId) as { seq: number | null }).seq ?? 0) + 1
      const out: OutputLine[] = []
      for (const line of lines) {
        this.insert.run(taskId, seq, line.kind, line.data, now)
        out.push({ seq, kind: line.kind, data: line.data, createdAt: now })
        seq++
      }
      this.nextSeq.set(taskId, seq)
      return out
    })()
  }

  /** Lines with seq > afterSeq, oldest first. */
  page(taskId: string, afterSeq = 0, limit = 1000): OutputLine[] {
    return this.db
      .prepare('SELECT seq, kind, data, created_at AS createdAt FROM task_output WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(taskId, afterSeq, limit) as OutputLine[]
  }

  /** The last `n` lines, oldest first. */
  tail(taskId: string, n: number): OutputLine[] {
    const rows = this.db
      .prepare('SELECT seq, kind, data, created_at AS createdAt FROM task_output WHERE task_id = ? ORDER BY seq DESC LIMIT ?')
      .all(taskId, n) as OutputLine[]
    return rows.reverse()
  }

  count(taskId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM task_output WHERE task_id = ?').get(taskId) as { n: number }).n
  }

  deleteFor(taskId: string): void {
    this.db.prepare('DELETE FROM task_output WHERE task_id = ?').run(taskId)
    this.nextSeq.delete(taskId)
  }
}
