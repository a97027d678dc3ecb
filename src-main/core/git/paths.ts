// Paths from outside (server, UI, agents) stay inside the root they are meant for:
// no '..', no absolute escape, and no symlink that leads out.
import { lstat, realpath } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

export function expandTilde(p: string, home = homedir()): string {
  if (p === '~') return home
  if (p.startsWith('~/')) return join(home, p.slice(2))
  return p
}

/** True when `child` is `root` or below it (both already resolved). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..')
}

export class PathEscapeError extends Error {
  constructor(
    readonly root: string,
    readonly requested: string,
  ) {
    super(`path ${JSON.stringify(requested)} is outside ${root}`)
    this.name = 'PathEscapeError'
  }
}

/** Whether anything (file, dir, dangling link) is at p. */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await lstat(p)
    return true
  } catch {
    return false
  }
}

/**
 * Resolve `rel` under `root` and prove it stays there: lexically, and after following symlinks
 * of the deepest part that exists (so a symlinked directory cannot lead out either).
 */
export async function resolveInside(root: string, rel: string): Promise<string> {
  if (rel.length === 0 || rel.includes('\0') || isAbsolute(rel)) throw new PathEscapeError(root, rel)
  const realRoot = await realpath(root)
  const lexical = resolve(realRoot, rel)
  if (!isInside(realRoot, lexical) || lexical === realRoot) throw new PathEscapeError(root, rel)
  let probe = lexical
  while (!(await pathExists(probe))) probe = dirname(probe)
  const realProbe = await realpath(probe)
  if (!isInside(realRoot, realProbe)) throw new PathEscapeError(root, rel)
  return lexical
}
