// worktree.allowed_roots: when set, a task's local repository (a path or a file:// URL) and its
// delivery target must lie inside one of these directories. Paths are compared after resolving
// symlinks on both sides, so a link inside a root that points elsewhere is outside. Remote URLs
// (https, ssh, git, scp-style) are cloned into the repos dir and `new://` creates a fresh repository
// there: neither reads a local path of the user's, so neither is confined.
import { realpath } from 'node:fs/promises'
import { resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expandTilde, isRemoteUrl } from '../git'
import type { SpawnTaskRequest } from './types'

/** The local path a repository source names, or null when it names none (a remote URL, new://). */
export function localPathOf(source: string): string | null {
  const s = source.trim()
  if (s.startsWith('new://')) return null
  if (/^file:\/\//i.test(s)) {
    try {
      return fileURLToPath(s)
    } catch {
      return resolve(s.slice('file://'.length))
    }
  }
  if (isRemoteUrl(s)) return null
  return resolve(expandTilde(s))
}

/** Null when allowed; otherwise why not, naming the source, its real path and the roots. */
export async function checkAllowedRoot(what: string, source: string, roots: readonly string[]): Promise<string | null> {
  if (roots.length === 0) return null
  const path = localPathOf(source)
  if (path === null) return null
  const real = await realpath(path).catch((err: NodeJS.ErrnoException) => err)
  if (real instanceof Error) return `The ${what} ${source} cannot be resolved (${real.code ?? real.message}); only paths inside worktree.allowed_roots are accepted: ${roots.join(', ')}`
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => null)))
  if (realRoots.some((r) => r !== null && (real === r || real.startsWith(r.endsWith(sep) ? r : r + sep)))) return null
  const resolved = real === source.trim() ? '' : ` (it resolves to ${real})`
  return `The ${what} ${source}${resolved} is outside worktree.allowed_roots (${roots.join(', ')}); use a repository inside them or add its directory to worktree.allowed_roots`
}

/** Checks every local path a spawn request names: its repository and its delivery target. */
export async function checkRequestRoots(req: Pick<SpawnTaskRequest, 'repoUrl' | 'targetRepoPath'>, roots: readonly string[]): Promise<string | null> {
  if (req.repoUrl) {
    const r = await checkAllowedRoot('repository', req.repoUrl, roots)
    if (r) return r
  }
  return req.targetRepoPath ? checkAllowedRoot('target repository', req.targetRepoPath, roots) : null
}
