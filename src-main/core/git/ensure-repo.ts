// A task's source: clone a URL into the repos dir (reusing an earlier clone) with progress events,
// or verify a local path is a git working tree.
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { expandTilde, pathExists } from './paths'
import { runGit } from './run'

export interface CloneProgress {
  phase: string
  percent: number | null
  line: string
}

export interface EnsureRepoInput {
  source: string
  reposDir: string
  onProgress?: (p: CloneProgress) => void
  timeoutMs?: number
}

export type EnsureRepoOutcome =
  | { kind: 'cloned'; path: string }
  | { kind: 'existing-clone'; path: string; fetched: boolean }
  | { kind: 'local'; path: string }
  | { kind: 'not-a-repo'; path: string; message: string }
  | { kind: 'clone-failed'; url: string; message: string }
  | { kind: 'invalid-source'; source: string; message: string }

const URL_RE = /^(https?|ssh|git|file):\/\/[^\s]+$/i
const SCP_RE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$/

export function isRemoteUrl(source: string): boolean {
  return URL_RE.test(source) || SCP_RE.test(source)
}

/** `https://github.com/a/b.git` → `github.com-a-b`: readable, and distinct per owner. */
export function cloneDirName(url: string): string {
  const stripped = url
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(/\.git\/?$/, '')
    .replace(/\/+$/, '')
  const name = stripped.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, 100)
  return name || 'repo'
}


export function parseCloneProgress(line: string): CloneProgress {
  const m = /^(?:remote:\s*)?([A-Za-z][A-Za-z ]+):\s+(\d{1,3})%/.exec(line)
  return m ? { phase: m[1].trim(), percent: Number(m[2]), line } : { phase: 'info', percent: null, line }
}

export async function ensureRepo(input: EnsureRepoInput): Promise<EnsureRepoOutcome> {
  const source = input.source.trim()
  if (source.startsWith('-') || source.length === 0) return { kind: 'invalid-source', source, message: 'a repository source may not be empty or start with "-"' }
  if (!isRemoteUrl(source)) {
    const path = resolve(expandTilde(source))
    if (!(await pathExists(path))) return { kind: 'not-a-repo', path, message: `${path} does not exist` }
    const r = await runGit(['rev-parse', '--show-toplevel'], { operation: 'rev-parse', cwd: path, okExitCodes: [0, 128] })
    if (r.exitCode !== 0) return { kind: 'not-a-repo', path, message: `${path} is not a git working tree` }
    return { kind: 'local', path: r.stdout.trim() }
  }
  await mkdir(input.reposDir, { recursive: true })
  const dir = resolve(input.reposDir, cloneDirName(source))
  if (await pathExists(resolve(dir, '.git'))) {
    // A failed fetch (offline) still leaves a usable clone.
    const f = await runGit(['fetch', '--quiet', '--prune', 'origin'], { operation: 'fetch', cwd: dir, okExitCodes: [0, 1, 128], timeoutMs: input.timeoutMs ?? 300_000 })
    return { kind: 'existing-clone', path: dir, fetched: f.exitCode === 0 }
  }
  const r = await runGit(['clone', '--progress', '--', source, dir], {
    operation: 'clone',
    cwd: input.reposDir,
    okExitCodes: [0, 128],
    timeoutMs: input.timeoutMs ?? 30 * 60_000,
    onStderrLine: input.onProgress ? (l) => input.onProgress?.(parseCloneProgress(l)) : undefined,
  })
  if (r.exitCode !== 0) {
    const msg = r.stderr.split(/\r|\n/).filter((l) => /fatal|error/i.test(l)).join('; ') || r.stderr.trim()
    return { kind: 'clone-failed', url: source, message: msg }
  }
  return { kind: 'cloned', path: dir }
}
