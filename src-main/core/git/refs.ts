// Names: ref validation (git check-ref-format rules, never a leading '-'), the sanitized task
// name, and the worktree directory / branch naming shared by every worktree operation.
import { join } from 'node:path'

/** Why a ref name is refused, or null when it is acceptable as a branch name. */
export function refNameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty'
  if (name.length > 255) return 'is longer than 255 characters'
  if (name.startsWith('-')) return "starts with '-'"
  if (name === '@' || name === 'HEAD') return `is the reserved name '${name}'`
  if (name.startsWith('/') || name.endsWith('/')) return "starts or ends with '/'"
  if (name.includes('//')) return "contains '//'"
  if (name.endsWith('.')) return "ends with '.'"
  if (name.includes('..')) return "contains '..'"
  if (name.includes('@{')) return "contains '@{'"
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return 'contains a space, a control character or one of ~ ^ : ? * [ \\'
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return "has a component starting with '.'"
    if (part.endsWith('.lock')) return "has a component ending with '.lock'"
  }
  return null
}

/** A ref name the caller gave us that git must not see. */
export class InvalidRefError extends Error {
  constructor(
    readonly ref: string,
    readonly problem: string,
  ) {
    super(`invalid branch or ref name ${JSON.stringify(ref)}: it ${problem}`)
    this.name = 'InvalidRefError'
  }
}

export function assertRefName(name: string): string {
  const problem = refNameProblem(name)
  if (problem) throw new InvalidRefError(name, problem)
  return name
}

/**
 * A revision a caller may name (a branch, a tag, a sha, `HEAD~2`): looser than a ref name, but
 * never an option and never whitespace or control characters.
 */
export function assertRevision(rev: string): string {
  // eslint-disable-next-line no-control-regex
  if (rev.length === 0 || rev.startsWith('-') || /[\x00-\x20\x7f]/.test(rev) || rev.length > 255) {
    throw new InvalidRefError(rev, 'is not a usable revision')
  }
  return rev
}

export function isFullSha(s: string): boolean {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(s)
}

/** Lowercase, every non-alphanumeric character becomes '-', at most 50 characters (the original's rule). */
export function sanitizeName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]/g, '-').slice(0, 50)
  // A name made only of dashes (or empty) would give ugly or invalid refs; fall back to 'task'.
  return /[a-z0-9]/.test(s) ? s.replace(/^-+/, '').replace(/-+$/, '') || 'task' : 'task'
}

/** The first 8 characters of a task id: the prefix the worktree directory scan looks for. */
export function shortId(taskId: string): string {
  const s = taskId.replace(/[^0-9a-zA-Z-]/g, '').slice(0, 8).toLowerCase()
  if (s.length < 8) throw new InvalidRefError(taskId, 'is not a task id (needs at least 8 characters)')
  return s
}

export interface WorktreeNames {
  dir: string
  branch: string
  short: string
  sanitized: string
}

/** `<worktrees dir>/<short8>-<sanitized name>` on branch `makima/<sanitized name>-<short8>`. */
export function worktreeNames(worktreesDir: string, taskId: string, name: string): WorktreeNames {
  const short = shortId(taskId)
  const sanitized = sanitizeName(name)
  return { dir: join(worktreesDir, `${short}-${sanitized}`), branch: assertRefName(`makima/${sanitized}-${short}`), short, sanitized }
}

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i

/**
 * The task a branch belongs to. Our branches end in `-<short8>`; a full uuid anywhere in the name
 * wins. A short id is resolved to a full id only when exactly one known id starts with it.
 */
export function taskIdFromBranch(branch: string, knownTaskIds: readonly string[] = []): { shortId: string; taskId: string | null } | null {
  const full = UUID_RE.exec(branch)
  if (full) return { shortId: full[0].slice(0, 8).toLowerCase(), taskId: full[0].toLowerCase() }
  const m = /^makima\/.*-([0-9a-f]{8})$/i.exec(branch)
  if (!m) return null
  const short = m[1].toLowerCase()
  const matches = knownTaskIds.filter((id) => id.toLowerCase().startsWith(short))
  return { shortId: short, taskId: matches.length === 1 ? matches[0] : null }
}
