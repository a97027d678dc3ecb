// The repository's "run" command (dev server, tests): the file `.makima/run` in the task's
// worktree, committed with the repository so every task of it gets the same one. An executable
// file runs as it is (its #! line picks the interpreter); any other is run by /bin/sh. Only a
// regular file inside the worktree counts: a symlink could point anywhere.
import { constants } from 'node:fs'
import { access, lstat } from 'node:fs/promises'
import { join } from 'node:path'

export const RUN_SCRIPT = '.makima/run'

export type RunScript = { kind: 'found'; file: string; args: string[]; path: string } | { kind: 'missing'; reason: string }

export async function findRunScript(worktree: string): Promise<RunScript> {
  const path = join(worktree, RUN_SCRIPT)
  const dir = await lstat(join(worktree, '.makima')).catch(() => null)
  if (dir && !dir.isDirectory()) return { kind: 'missing', reason: `${RUN_SCRIPT}: .makima is not a directory` }
  const info = await lstat(path).catch(() => null)
  if (!info) return { kind: 'missing', reason: `This repository has no ${RUN_SCRIPT}: add one (a shell script, e.g. "npm run dev") to use Run.` }
  if (!info.isFile()) return { kind: 'missing', reason: `${RUN_SCRIPT} must be a regular file (not a link or a directory).` }
  const executable = await access(path, constants.X_OK).then(
    () => true,
    () => false,
  )
  return executable ? { kind: 'found', file: path, args: [], path } : { kind: 'found', file: '/bin/sh', args: [path], path }
}
