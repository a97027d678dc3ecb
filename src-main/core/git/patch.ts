// Checkpoint patches (PROTOCOL.md): base64 of the gzip of `git diff --binary <base>` taken after
// staging everything, so new files are in it. We stage into a throwaway copy of the index so the
// worktree's real index is never touched.
import { randomBytes } from 'node:crypto'
import { copyFile, rm, stat, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Writable } from 'node:stream'
import { createGzip, gunzip } from 'node:zlib'
import { gitPath } from './inspect'
import { runGit } from './run'

const gunzipAsync = promisify(gunzip)

export const DEFAULT_MAX_PATCH_BYTES = 10 * 1024 * 1024

export interface WorkingDiff {
  /** Raw `git diff --binary` bytes (not compressed). */
  patch: Buffer
  files: string[]
}

export interface DiffOptions {
  binary?: boolean
  /** Raw diff bytes kept before GitOutputTooLargeError (run.ts's default otherwise). */
  maxBytes?: number
  /** The diff piped here instead of kept (then `patch` is empty). */
  patchTo?: Writable
  signal?: AbortSignal
}

/** Everything in the working tree (untracked included, ignored excluded) against `base`. */
export async function diffWorkingTree(cwd: string, base: string, opts: DiffOptions = {}): Promise<WorkingDiff> {
  const tmpIndex = join(tmpdir(), `makima-index-${randomBytes(6).toString('hex')}`)
  try {
    // Starting from the real index keeps git's stat cache, so only changed files are re-hashed. The
    // copy must keep the index's mtime: git trusts an entry's stat only when the file is older than
    // the index ("racy git"), so a copy stamped "now" would hide a same-size edit made in the same
    // second as the last index write.
    const realIndex = await gitPath(cwd, 'index')
    const copied = await copyFile(realIndex, tmpIndex).then(() => true, () => false)
    if (copied) {
      const st = await stat(realIndex)
      await utimes(tmpIndex, st.atime, st.mtime)
    }
    const env = { GIT_INDEX_FILE: tmpIndex }
    await runGit(['add', '-A'], { operation: 'diff', cwd, env })
    const diffArgs = ['diff', '--cached', '--no-color', '--no-ext-diff', ...(opts.binary === false ? [] : ['--binary']), base]
    const stream = { ...(opts.maxBytes ? { maxStdoutBytes: opts.maxBytes } : {}), ...(opts.patchTo ? { stdoutTo: opts.patchTo } : {}), ...(opts.signal ? { signal: opts.signal } : {}) }
    const patch = (await runGit([...diffArgs, '--'], { operation: 'diff', cwd, env, timeoutMs: 120_000, ...stream })).stdoutBuffer
    const names = (await runGit(['diff', '--cached', '--name-only', '-z', base, '--'], { operation: 'diff', cwd, env })).stdout
    return { patch, files: names.split('\0').filter(Boolean) }
  } finally {
    await rm(tmpIndex, { force: true })
  }
}

export interface CheckpointPatch {
  /** base64 (standard alphabet) of gzip of the diff. */
  data: string
  baseSha: string
  filesCount: number
  compressedBytes: number
}

export type PatchOutcome =
  | { kind: 'patch'; patch: CheckpointPatch }
  | { kind: 'too-large'; compressedBytes: number; maxBytes: number }
  | { kind: 'empty' }

/**
 * The diff is gzipped as git prints it, and git is stopped once the compressed size passes
 * `maxBytes`: a huge binary change never sits whole in memory (then compressedBytes is how far it got).
 */
export async function createCheckpointPatch(cwd: string, baseSha: string, maxBytes = DEFAULT_MAX_PATCH_BYTES): Promise<PatchOutcome> {
  const gz = createGzip()
  const parts: Buffer[] = []
  let size = 0
  const stop = new AbortController()
  gz.on('data', (c: Buffer) => {
    size += c.length
    if (size > maxBytes) stop.abort()
    else parts.push(c)
  })
  const ended = new Promise<void>((r) => gz.once('end', () => r()))
  let files: string[]
  try {
    files = (await diffWorkingTree(cwd, baseSha, { patchTo: gz, signal: stop.signal })).files
  } catch (err) {
    gz.destroy()
    if (stop.signal.aborted) return { kind: 'too-large', compressedBytes: size, maxBytes }
    throw err
  }
  gz.end()
  await ended
  if (files.length === 0) return { kind: 'empty' }
  if (size > maxBytes) return { kind: 'too-large', compressedBytes: size, maxBytes }
  const data = Buffer.concat(parts)
  return { kind: 'patch', patch: { data: data.toString('base64'), baseSha, filesCount: files.length, compressedBytes: data.length } }
}

export class InvalidPatchError extends Error {
  constructor(message: string) {
    super(`invalid checkpoint patch: ${message}`)
    this.name = 'InvalidPatchError'
  }
}

/** base64 → gunzip → raw diff bytes. */
export async function decodeCheckpointPatch(data: string | Buffer): Promise<Buffer> {
  const gz = typeof data === 'string' ? Buffer.from(data, 'base64') : data
  try {
    return await gunzipAsync(gz)
  } catch (e) {
    throw new InvalidPatchError((e as Error).message)
  }
}

/** Apply raw diff bytes to the working tree (binary hunks included); untouched when it fails. */
export async function applyPatch(cwd: string, patch: Buffer): Promise<{ kind: 'applied' } | { kind: 'failed'; stderr: string }> {
  if (patch.length === 0) return { kind: 'applied' }
  const r = await runGit(['apply', '--binary', '--whitespace=nowarn', '-'], { operation: 'apply', cwd, stdin: patch, okExitCodes: [0, 1, 128] })
  return r.exitCode === 0 ? { kind: 'applied' } : { kind: 'failed', stderr: r.stderr.trim() }
}
