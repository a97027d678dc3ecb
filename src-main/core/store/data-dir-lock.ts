// One core per data directory. Two cores on one directory would each take the other's live agents
// for orphans and kill them at recovery, and interleave writes to the same worktrees.
//
// The lock is an exclusive SQLite transaction held open on <data>/core.lock for the core's whole
// life: SQLite takes an fcntl lock, which the kernel drops when the process dies (even by kill -9),
// so a crashed core never leaves a stale lock to clean up, a reused pid cannot fool it, and SQLite
// also refuses a second connection inside the same process. The holder's pid and mode sit beside
// it in core.pid, written only by the holder, so a refusal can name who holds the directory.
import Database from 'better-sqlite3'
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'

export const LOCK_FILE = 'core.lock'
export const HOLDER_FILE = 'core.pid'

const Holder = z.object({
  pid: z.number().int(),
  mode: z.string(),
  startedAt: z.string(),
  /** The headless web UI of the holder, once it runs. */
  webUrl: z.string().nullable().optional(),
})
export type LockHolder = z.infer<typeof Holder>

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    const who = holder ? `Makima (pid ${holder.pid}, ${holder.mode}, since ${holder.startedAt})` : 'another Makima process'
    super(`the data directory ${dataDir} is in use by ${who}; stop it first, or start this one with --data-dir <another directory>`)
    this.name = 'DataDirLockedError'
  }
}

export interface DataDirLock {
  readonly dataDir: string
  /** Records more about the holder (the web UI's URL) for a refused second core to report. */
  update(extra: Partial<Pick<LockHolder, 'webUrl'>>): Promise<void>
  release(): Promise<void>
}

export async function lockDataDir(dataDir: string, mode: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const path = join(dataDir, LOCK_FILE)
  const db = new Database(path, { timeout: 0 })
  try {
    db.exec('BEGIN EXCLUSIVE')
  } catch (err) {
    db.close()
    if (!String((err as { code?: string }).code).startsWith('SQLITE_BUSY')) throw err
    throw new DataDirLockedError(dataDir, await readLockHolder(dataDir))
  }
  await chmod(path, 0o600).catch(() => undefined)
  let holder: LockHolder = { pid: process.pid, mode, startedAt: new Date().toISOString(), webUrl: null }
  const holderPath = join(dataDir, HOLDER_FILE)
  const writeHolder = async () => {
    const tmp = `${holderPath}.${process.pid}.tmp`
    await writeFile(tmp, `${JSON.stringify(holder)}\n`, { mode: 0o600 })
    await rename(tmp, holderPath)
  }
  try {
    await writeHolder()
  } catch (err) {
    db.close()
    throw err
  }
  let released = false
  return {
    dataDir,
    async update(extra) {
      if (released) return
      holder = { ...holder, ...extra }
      await writeHolder()
    },
    async release() {
      if (released) return
      released = true
      // The holder file goes first: once the lock drops, the next holder writes its own.
      await rm(holderPath, { force: true }).catch(() => undefined)
      db.close()
    },
  }
}

/** Who holds the directory, as the holder recorded it; null when unknown. */
export async function readLockHolder(dataDir: string): Promise<LockHolder | null> {
  const text = await readFile(join(dataDir, HOLDER_FILE), 'utf8').catch(() => null)
  if (text === null) return null
  try {
    const parsed = Holder.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
