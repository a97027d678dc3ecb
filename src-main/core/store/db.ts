// Opens the SQLite store (WAL), applies pending migrations in one transaction, and reports a
// locked, corrupt or too-new database plainly. It never deletes or rewrites a file it cannot read.
import Database from 'better-sqlite3'
import { mkdir, open, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { MIGRATIONS, type Migration } from './migrations'

export type StoreErrorCode = 'newer-schema' | 'locked' | 'corrupt' | 'empty' | 'cannot-open' | 'migration-failed' | 'disk-full'

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(message)
    this.name = 'StoreError'
  }
}

export interface OpenOptions {
  path: string
  /** How long to wait for another connection's lock before reporting "locked". */
  busyTimeoutMs?: number
  migrations?: Migration[]
}

export interface Store {
  db: Database.Database
  path: string
  schemaVersion: number
  close(): void
}

export async function openStore(opts: OpenOptions): Promise<Store> {
  const { path } = opts
  const migrations = opts.migrations ?? MIGRATIONS
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const wasEmpty = await isEmptyFile(path)
  let db: Database.Database
  try {
    // Created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the database's mode.
    // Opening for append creates a missing file and leaves an existing one byte-for-byte alone.
    await (await open(path, 'a', 0o600)).close()
    db = new Database(path, { timeout: opts.busyTimeoutMs ?? 2000 })
  } catch (err) {
    throw classify(err, path)
  }
  try {
    // Read the version before anything writes: a too-new file must stay byte-for-byte as it was.
    const current = db.pragma('user_version', { simple: true }) as number
    if (wasEmpty) throw emptyFileError(path) // checked once the read shows nobody else holds it
    const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0)
    if (current > latest) {
      throw new StoreError(
        'newer-schema',
        path,
        `The database ${path} has schema version ${current}, but this version of Makima knows only up to ${latest}. ` +
          'It was written by a newer Makima; upgrade Makima or point MAKIMA_DAEMON_LOCALDB_PATH at another file. The file was not changed.',
      )
    }
    // A new file: pages freed by deleting output go back to the disk on request (incremental
    // vacuum). Only before the first page is written, so before WAL mode writes the header.
    if (current === 0) db.pragma('auto_vacuum = INCREMENTAL')
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    // Deleted rows (a tool key in the outbox, a task's output) are zeroed, not left in free pages.
    db.pragma('secure_delete = ON')
    const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version)
    if (pending.length > 0) {
      // One transaction for all of them: a failure leaves the database exactly as it was.
      db.transaction(() => {
        for (const m of pending) db.exec(m.sql)
        db.pragma(`user_version = ${pending[pending.length - 1]!.version}`)
      }).immediate()
    }
    if (current > 0 && pending.some((m) => m.vacuumAfter)) rebuild(db)
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    return { db, path, schemaVersion, close: () => db.close() }
  } catch (err) {
    db.close()
    throw err instanceof StoreError ? err : classify(err, path)
  }
}

/**
 * Once, after a migration that changed how much the file holds: VACUUM rewrites it compactly and
 * switches on incremental auto-vacuum. It needs free space about the file's size; without it the
 * store still works (a warning is left in the error's place: nothing is lost).
 */
function rebuild(db: Database.Database): void {
  try {
    db.pragma('auto_vacuum = INCREMENTAL')
    db.exec('VACUUM')
  } catch (err) {
    process.emitWarning(`the database could not be compacted after its upgrade (${(err as Error).message}); it works, but freed space is not given back to the disk`)
  }
}

/**
 * SQLite would take a 0-byte file for a new, empty database. A store that existed and is now
 * empty was truncated (a full disk, a bad copy): starting fresh would hide that every task is gone.
 */
async function isEmptyFile(path: string): Promise<boolean> {
  const size = async (p: string) => (await stat(p).catch(() => null))?.size ?? null
  return (await size(path)) === 0 && ((await size(`${path}-wal`)) ?? 0) === 0
}

function emptyFileError(path: string): StoreError {
  return new StoreError(
    'empty',
    path,
    `The database ${path} is an empty file (0 bytes): it was probably truncated (a full disk or an interrupted copy), so every task it held is missing. ` +
      'It was left untouched. Restore it from a backup, or delete it to start with an empty store.',
  )
}

/** Any SQLite error as a StoreError naming the file and what to do. */
export function storeErrorOf(err: unknown, path: string): StoreError {
  return err instanceof StoreError ? err : classify(err, path)
}

function classify(err: unknown, path: string): StoreError {
  const code = (err as { code?: string }).code ?? ''
  const message = err instanceof Error ? err.message : String(err)
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('locked', path, `The database ${path} is locked by another process (is another Makima daemon running on this data directory?).`)
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('corrupt', path, `The database ${path} is damaged or is not a SQLite database (${message}). It was left untouched; move it aside to start fresh, or restore it from a backup.`)
  }
  if (code === 'SQLITE_FULL') {
    return new StoreError('disk-full', path, `disk full at ${path}: the database cannot grow. Free some space on that filesystem and start again; the file was left as it was.`)
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new StoreError('cannot-open', path, `The database ${path} cannot be opened (${message}).`)
  }
  return new StoreError('migration-failed', path, `The database ${path} could not be prepared: ${message}`)
}
