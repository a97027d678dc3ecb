// Append-only log file that rotates by size: daemon.log → daemon.log.1 → … → daemon.log.N.
// Writes never block the event loop; lines written while rotating are queued, not lost.
// A file that cannot be written (a full disk, a removed directory) never takes the core down: the
// file is given up, one notice goes to stderr, and the logger's stderr copy carries on alone.
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, rename, stat, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Logs carry task names, paths and errors: private to the user, whatever the umask. */
const FILE_MODE = 0o600
/** Lines queued while rotating, at most: a rotation stuck on a slow disk must not grow memory. */
const MAX_PENDING = 10_000

export interface RotatingFileOptions {
  path: string
  maxBytes: number
  keep: number
  /** Where the one "log file given up" notice goes; process.stderr unless set (null: nowhere). */
  notice?: { write(line: string): void } | null
}

export class RotatingFile {
  private stream: WriteStream | null = null
  private size = 0
  private pending: string[] = []
  private busy: Promise<void> | null = null
  private closed = false
  private failure: Error | null = null

  constructor(private readonly opts: RotatingFileOptions) {}

  /** Why the file was given up, if it was. */
  get failed(): Error | null {
    return this.failure
  }

  async open(): Promise<void> {
    await mkdir(dirname(this.opts.path), { recursive: true, mode: 0o700 })
    this.size = await stat(this.opts.path).then((s) => s.size, () => 0)
    this.stream = this.createStream()
  }

  write(line: string): void {
    if (this.closed || this.failure) return
    if (!this.stream || this.busy) {
      if (this.pending.length < MAX_PENDING) this.pending.push(line)
      return
    }
    this.stream.write(line)
    this.size += Buffer.byteLength(line)
    if (this.size >= this.opts.maxBytes) this.busy = this.rotate().catch((err: unknown) => this.giveUp(err))
  }

  private createStream(): WriteStream {
    const s = createWriteStream(this.opts.path, { flags: 'a', mode: FILE_MODE })
    s.on('error', (err) => this.giveUp(err))
    return s
  }

  /** Stops writing the file for good and says so once, with the path and the cause. */
  private giveUp(err: unknown): void {
    if (this.failure) return
    this.failure = err instanceof Error ? err : new Error(String(err))
    const s = this.stream
    this.stream = null
    this.pending = []
    this.busy = null
    s?.destroy()
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'ENOSPC' ? `disk full at ${this.opts.path}` : `${this.opts.path}: ${this.failure.message}`
    const out = this.opts.notice === undefined ? process.stderr : this.opts.notice
    out?.write(`${new Date().toISOString()} WARN  log file cannot be written (${why}); logging to stderr only until restart\n`)
  }

  private async rotate(): Promise<void> {
    const old = this.stream
    this.stream = null
    if (old) await new Promise<void>((r) => old.end(r))
    const { path, keep } = this.opts
    await rm(`${path}.${keep}`, { force: true })
    for (let i = keep - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(() => {})
    await rename(path, `${path}.1`).catch(() => {})
    if (this.failure) return
    this.stream = this.createStream()
    this.size = 0
    this.busy = null
    const queued = this.pending
    this.pending = []
    for (const line of queued) this.write(line)
  }

  async close(): Promise<void> {
    while (this.busy) await this.busy
    this.closed = true
    const s = this.stream
    this.stream = null
    if (s && !s.destroyed) await new Promise<void>((r) => s.end(r))
  }
}
