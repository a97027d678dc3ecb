// A few megabytes kept aside next to the database. When the disk fills up, deleting this file is
// what lets the core still record why it paused a task (SQLite needs pages for that write too);
// it is put back once there is room again. Best effort: a reserve that cannot be made is skipped.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export const RESERVE_FILE = 'space-reserve'

export class SpaceReserve {
  private held = false

  constructor(
    readonly dir: string,
    private readonly bytes = 2 * 1024 * 1024,
  ) {}

  get holding(): boolean {
    return this.held
  }

  /** Makes (or re-makes) the reserve; false when there is no room for it. */
  restore(): boolean {
    if (this.held) return true
    const path = join(this.dir, RESERVE_FILE)
    let fd: number | undefined
    try {
      fd = openSync(path, 'w', 0o600)
      const chunk = Buffer.alloc(64 * 1024) // real blocks: a sparse file would free nothing
      for (let n = 0; n < this.bytes; n += chunk.length) writeSync(fd, chunk)
      this.held = true
    } catch {
      rmSync(path, { force: true })
    } finally {
      if (fd !== undefined) closeSync(fd)
    }
    return this.held
  }

  /** Gives the space back to the filesystem; true if there was any to give. */
  release(): boolean {
    if (!this.held) return false
    rmSync(join(this.dir, RESERVE_FILE), { force: true })
    this.held = false
    return true
  }
}
