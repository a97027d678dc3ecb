// Why a write to the store failed, in words a user can act on. A full disk is the common case:
// SQLite reports it as SQLITE_FULL, Node's fs as ENOSPC; neither names the file.

export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === 'SQLITE_FULL' || code === 'ENOSPC'
}

/** "disk full at <path>", or the error itself with the path. */
export function storeFailureReason(err: unknown, path: string): string {
  if (isDiskFull(err)) return `disk full at ${path}`
  return `could not write ${path}: ${err instanceof Error ? err.message : String(err)}`
}
