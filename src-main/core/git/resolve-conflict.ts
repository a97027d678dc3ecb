// One conflicted file: its base / ours / theirs versions for the UI, and its resolution with ours,
// theirs, or the content the user edited. Paths stay inside the worktree and reach git literally.
import { constants } from 'node:fs'
import { lstat, open, realpath } from 'node:fs/promises'
import { dirname, relative, sep } from 'node:path'
import { mergeInProgress, unmergedFiles } from './merge'
import { rebaseInProgress } from './rebase'
import { PathEscapeError, resolveInside } from './paths'
import { runGit } from './run'

const LITERAL = { GIT_LITERAL_PATHSPECS: '1' }
export const MAX_CONFLICT_SIDE_BYTES = 8 * 1024 * 1024

export type ConflictSide = { kind: 'text'; content: string } | { kind: 'binary'; size: number } | { kind: 'absent' } | { kind: 'too-large'; size: number }

export interface ConflictVersions {
  file: string
  base: ConflictSide
  ours: ConflictSide
  theirs: ConflictSide
}

async function stage(cwd: string, n: 1 | 2 | 3, file: string): Promise<ConflictSide> {
  const r = await runGit(['cat-file', '-p', `:${n}:${file}`], { operation: 'conflict versions', cwd, okExitCodes: [0, 128] })
  if (r.exitCode !== 0) return { kind: 'absent' }
  const buf = r.stdoutBuffer
  if (buf.length > MAX_CONFLICT_SIDE_BYTES) return { kind: 'too-large', size: buf.length }
  if (buf.subarray(0, 8000).includes(0)) return { kind: 'binary', size: buf.length }
  return { kind: 'text', content: buf.toString('utf8') }
}

export type ConflictVersionsOutcome = { kind: 'versions'; versions: ConflictVersions } | { kind: 'not-conflicted'; file: string } | { kind: 'no-merge' }

export async function getConflictVersions(input: { worktree: string; file: string }): Promise<ConflictVersionsOutcome> {
  await resolveInside(input.worktree, input.file)
  if (!(await conflictOperation(input.worktree))) return { kind: 'no-merge' }
  if (!(await unmergedFiles(input.worktree)).includes(input.file)) return { kind: 'not-conflicted', file: input.file }
  const [base, ours, theirs] = await Promise.all([stage(input.worktree, 1, input.file), stage(input.worktree, 2, input.file), stage(input.worktree, 3, input.file)])
  return { kind: 'versions', versions: { file: input.file, base, ours, theirs } }
}

export type ConflictResolution = { kind: 'ours' } | { kind: 'theirs' } | { kind: 'content'; content: string | Buffer }

/** The server's `strategy` string (case-insensitive), or null when it is neither ours nor theirs. */
export function parseResolutionStrategy(strategy: string): ConflictResolution | null {
  const s = strategy.trim().toLowerCase()
  return s === 'ours' ? { kind: 'ours' } : s === 'theirs' ? { kind: 'theirs' } : null
}

export type ResolveConflictOutcome = { kind: 'resolved'; file: string; remaining: string[] } | { kind: 'not-conflicted'; file: string } | { kind: 'no-merge' }

export async function resolveConflict(input: { worktree: string; file: string; resolution: ConflictResolution }): Promise<ResolveConflictOutcome> {
  const cwd = input.worktree
  const abs = await resolveInside(cwd, input.file)
  if (!(await conflictOperation(cwd))) return { kind: 'no-merge' }
  if (!(await unmergedFiles(cwd)).includes(input.file)) return { kind: 'not-conflicted', file: input.file }
  const res = input.resolution
  switch (res.kind) {
    case 'ours':
    case 'theirs': {
      const side = await stage(cwd, res.kind === 'ours' ? 2 : 3, input.file)
      if (side.kind === 'absent') {
        // That side deleted the file: resolving with it means deleting it.
        await runGit(['rm', '--quiet', '--force', '--', input.file], { operation: 'resolve conflict', cwd, env: LITERAL })
      } else {
        await runGit(['checkout', `--${res.kind}`, '--', input.file], { operation: 'resolve conflict', cwd, env: LITERAL })
        await runGit(['add', '--', input.file], { operation: 'resolve conflict', cwd, env: LITERAL })
      }
      break
    }
    case 'content':
      await writeNoFollow(cwd, input.file, abs, res.content)
      await runGit(['add', '--', input.file], { operation: 'resolve conflict', cwd, env: LITERAL })
      break
  }
  return { kind: 'resolved', file: input.file, remaining: await unmergedFiles(cwd) }
}

/**
 * Write the resolved content without following a symlink: something may have swapped one in
 * since resolveInside checked the path. Every directory between the root and the file must be a
 * real directory (lstat), and O_NOFOLLOW makes open fail when the file itself is a link.
 */
async function writeNoFollow(root: string, rel: string, abs: string, content: string | Buffer): Promise<void> {
  const realRoot = await realpath(root)
  let dir = realRoot
  for (const part of relative(realRoot, dirname(abs)).split(sep).filter(Boolean)) {
    dir = `${dir}${sep}${part}`
    const st = await lstat(dir)
    if (!st.isDirectory()) throw new PathEscapeError(root, rel)
  }
  let fh
  try {
    fh = await open(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o666)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new PathEscapeError(root, rel)
    throw err
  }
  try {
    await fh.writeFile(content)
  } finally {
    await fh.close()
  }
}

/** A merge or a rebase stopped on conflicts: both leave the three stages in the index. */
async function conflictOperation(cwd: string): Promise<boolean> {
  return (await mergeInProgress(cwd)) || (await rebaseInProgress(cwd))
}
