// Why the core could not start, as one line for a terminal or an error dialog, and the exit code.
// Shared by both entries so the headless daemon and the desktop app say the same thing.
import { ConfigError } from './config/config'
import { DataDirLockedError } from './store/data-dir-lock'
import { dirname } from 'node:path'
import { StoreError, storeErrorOf } from './store/db'
import { isDiskFull } from './store/store-failure'

export interface StartFailure {
  /** One line naming the cause and, where known, the file. */
  message: string
  exitCode: number
}

/**
 * `dbPath`: the store's file, to name when SQLite fails after opening (a damaged page found late).
 * `dataDir`: named when the disk is full (ENOSPC on a write names no file).
 */
export function describeStartFailure(err: unknown, ctx: { dbPath?: string; dataDir?: string } = {}): StartFailure {
  const code = (err as { code?: unknown } | null)?.code
  if (ctx.dbPath && typeof code === 'string' && code.startsWith('SQLITE_') && !(err instanceof StoreError)) err = storeErrorOf(err, ctx.dbPath)
  if (err instanceof ConfigError) return { message: err.message, exitCode: err.exitCode }
  if (err instanceof StoreError) return { message: `store error (${err.code}): ${err.message}`, exitCode: 1 }
  if (err instanceof DataDirLockedError) return { message: err.message, exitCode: 1 }
  const e = err as NodeJS.ErrnoException
  if (isDiskFull(err) && !(typeof code === 'string' && code.startsWith('SQLITE_'))) {
    const where = e.path ?? ctx.dataDir ?? (ctx.dbPath ? dirname(ctx.dbPath) : 'the data directory')
    return { message: `start-up failed: disk full at ${where} (${e.message}); free some space there and start again`, exitCode: 1 }
  }
  if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.syscall === 'string') {
    // fs errors name the path in their message when they have one (ENOSPC on write has none).
    return { message: `start-up failed: ${e.message}${e.path && !e.message.includes(e.path) ? ` (${e.path})` : ''}`, exitCode: 1 }
  }
  return { message: `start-up failed: ${err instanceof Error ? err.message : String(err)}`, exitCode: 1 }
}
