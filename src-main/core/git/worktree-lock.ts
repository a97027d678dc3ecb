// Git keeps every worktree's admin entry under <common git dir>/worktrees/. Two `git worktree add`
// (or add + prune, or add + list) running at once in one repository race on those entries — seen
// as "fatal: failed to read .git/worktrees/<other>/commondir" when several agents start together.
// So every worktree-metadata command of one repository runs one at a time.
import { isAbsolute, resolve } from 'node:path'
import { gitText, runGit, type RunOptions, type RunResult } from './run'

const queues = new Map<string, Promise<void>>()

async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve()
  let release!: () => void
  const mine = new Promise<void>((r) => (release = r))
  const tail = previous.then(() => mine)
  queues.set(key, tail)
  await previous
  try {
    return await fn()
  } finally {
    release()
    if (queues.get(key) === tail) queues.delete(key)
  }
}

/** The key every worktree-metadata command of one repository shares: its common git dir. */
export async function worktreeLockKey(cwd: string): Promise<string> {
  const dir = await gitText(['rev-parse', '--git-common-dir'], { operation: 'rev-parse', cwd }).catch(() => cwd)
  return isAbsolute(dir) ? dir : resolve(cwd, dir)
}

/** runGit for `git worktree …`, serialised per repository (keyed by its common git dir); a caller
 * that already knows the key (worktreeLockKey) saves the rev-parse. */
export async function runWorktreeGit(args: readonly string[], opts: RunOptions, key?: string): Promise<RunResult> {
  return withLock(key ?? (await worktreeLockKey(opts.cwd)), () => runGit(args, opts))
}
