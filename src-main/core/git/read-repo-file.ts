// Read one file of a repository for the server (contract files): only inside the repo, at most 8 MiB.
import { readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { expandTilde, PathEscapeError, resolveInside } from './paths'

export const MAX_REPO_FILE_BYTES = 8 * 1024 * 1024

export type ReadRepoFileOutcome =
  | { kind: 'content'; content: string; size: number }
  | { kind: 'not-found'; path: string }
  | { kind: 'outside-repo'; path: string }
  | { kind: 'not-a-file'; path: string }
  | { kind: 'too-large'; size: number; maxBytes: number }

export async function readRepoFile(input: { repoPath: string; filePath: string; maxBytes?: number }): Promise<ReadRepoFileOutcome> {
  const max = input.maxBytes ?? MAX_REPO_FILE_BYTES
  const root = resolve(expandTilde(input.repoPath))
  let abs: string
  try {
    abs = await resolveInside(root, input.filePath)
  } catch (e) {
    if (e instanceof PathEscapeError) return { kind: 'outside-repo', path: input.filePath }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'not-found', path: input.filePath }
    throw e
  }
  let size: number
  try {
    const s = await stat(abs)
    if (!s.isFile()) return { kind: 'not-a-file', path: input.filePath }
    size = s.size
  } catch {
    return { kind: 'not-found', path: input.filePath }
  }
  if (size > max) return { kind: 'too-large', size, maxBytes: max }
  const buf = await readFile(abs)
  // The file may have grown between stat and read.
  if (buf.length > max) return { kind: 'too-large', size: buf.length, maxBytes: max }
  return { kind: 'content', content: buf.toString('utf8'), size: buf.length }
}
