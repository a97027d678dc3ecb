// Append-only log file that rotates by size: daemon.log → daemon.log.1 → … → daemon.log.N.
// Writes never block the event loop; lines written while rotating are queued, not lost.
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, rename, stat, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Logs carry task names, paths and errors: private to the user, whatever the umask. */
const FILE_MODE = 0o600

export interface RotatingFileOptions {
  path: string
  maxBytes: number
  keep: number
}

export class RotatingFile {
  private stream: WriteStream | null = null
  private size = 0
  private pending: string[] = []
  private busy: Promise<void> | null = null
  private closed = false

  constructor(private readonly opts: RotatingFileOptions) {}

  async open(): Promise<void> {
    await mkdir(dirname(this.opts.path), { recursive: true, mode: 0o700 })
    this.size = await stat(this.opts.path).then((s) => s.size, () => 0)
    this.stream = createWriteStream(this.opts.path, { flags: 'a', mode: FILE_MODE })
  }

  write(line: string): void {
    if (this.closed) return
    if (!this.stream || this.busy) {
      this.pending.push(line)
      return
    }
    this.stream.write(line)
    this.size += Buffer.byteLength(line)
    if (this.size >= this.opts.maxBytes) this.busy = this.rotate()
  }

  private async rotate(): Promise<void> {
    const old = this.stream
    this.stream = null
    if (old) await new Promise<void>((r) => old.end(r))
    const { path, keep } = this.opts
    await rm(`${path}.${keep}`, { force: true })
    for (let i = keep - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(() => {})
    await rename(path, `${path}.1`).catch(() => {})
    this.stream = createWriteStream(path, { flags: 'a', mode: FILE_MODE })
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
    if (s) await new Promise<void>((r) => s.end(r))
  }
}
