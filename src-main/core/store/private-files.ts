// Everything a core keeps is its user's alone: task plans and output (the database), logs, the
// OAuth token, the machine id. Directories are 0700 and files 0600 from creation (the entries set a
// 0077 umask, and the code that creates a file passes the mode too, since the core also runs inside
// tests and other hosts), and what an older version left readable is tightened at start.
import { chmod, readdir, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, isAbsolute } from 'node:path'
import { HOLDER_FILE, LOCK_FILE } from './data-dir-lock'

export const PRIVATE_UMASK = 0o077
export const PRIVATE_FILE_MODE = 0o600
export const PRIVATE_DIR_MODE = 0o700

/** Called first by each entry: whatever the process (and its agents) creates is private. */
export function usePrivateUmask(): void {
  process.umask(PRIVATE_UMASK)
}

export interface PrivatePaths {
  dataDir: string
  dbPath: string
  logFile: string
  /** More files in the data dir (the token file, the machine id: named by their owners). */
  dataFiles?: readonly string[]
}

export interface TightenReport {
  /** Paths whose mode was narrowed. */
  tightened: string[]
  /** Paths that could not be narrowed (another owner, a read-only mount), with why. */
  failed: { path: string; error: string }[]
}

/** Narrows the data dir, the database with its WAL and SHM, the logs and the data files. Missing
 * paths are fine (a first start); nothing outside these names is touched. */
export async function tightenPrivateFiles(p: PrivatePaths): Promise<TightenReport> {
  const report: TightenReport = { tightened: [], failed: [] }
  const logDir = dirname(p.logFile)
  const dirs = [p.dataDir]
  // The log directory is ours only when it lies inside the data dir (not, say, /var/log).
  if (inside(p.dataDir, logDir)) dirs.push(logDir)
  const files = [
    ...['', '-wal', '-shm', '-journal'].map((s) => p.dbPath + s),
    join(p.dataDir, LOCK_FILE),
    join(p.dataDir, HOLDER_FILE),
    ...(p.dataFiles ?? []).map((f) => join(p.dataDir, f)),
    p.logFile,
    ...(await rotatedLogs(p.logFile)),
  ]
  for (const d of dirs) await narrow(d, PRIVATE_DIR_MODE, report)
  for (const f of files) await narrow(f, PRIVATE_FILE_MODE, report)
  return report
}

async function narrow(path: string, mode: number, report: TightenReport): Promise<void> {
  const s = await stat(path).catch(() => null)
  if (!s || (s.mode & 0o777 & ~mode) === 0) return
  try {
    await chmod(path, s.mode & mode & 0o777)
    report.tightened.push(path)
  } catch (err) {
    report.failed.push({ path, error: (err as NodeJS.ErrnoException).code ?? String(err) })
  }
}

/** daemon.log.1 … daemon.log.N next to the log file. */
async function rotatedLogs(logFile: string): Promise<string[]> {
  const dir = dirname(logFile)
  const base = basename(logFile)
  const names = await readdir(dir).catch(() => [] as string[])
  return names.filter((n) => n.startsWith(`${base}.`) && /^\d+$/.test(n.slice(base.length + 1))).map((n) => join(dir, n))
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}
