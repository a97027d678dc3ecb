// Is a local path a repository a task can start from? It must exist, be inside a git working
// tree, and have at least one commit (a worktree needs a commit to branch from). Answered as a
// value so the UI can say what is wrong before any task is created.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { expandTilde } from './paths'
import { runGit } from './run'

export type LocalRepoCheck =
  | { kind: 'ok'; path: string }
  | { kind: 'missing'; path: string; message: string }
  | { kind: 'not-a-directory'; path: string; message: string }
  | { kind: 'not-a-repo'; path: string; message: string }
  | { kind: 'no-commits'; path: string; message: string }

export async function checkLocalRepo(source: string): Promise<LocalRepoCheck> {
  const path = resolve(expandTilde(source.trim()))
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => err)
  if (info instanceof Error) {
    const why = info.code === 'ENOENT' ? 'does not exist' : `cannot be read (${info.code ?? info.message})`
    return { kind: 'missing', path, message: `${path} ${why}` }
  }
  if (!info.isDirectory()) return { kind: 'not-a-directory', path, message: `${path} is a file, not a folder` }
  const top = await runGit(['rev-parse', '--show-toplevel'], { operation: 'rev-parse', cwd: path, okExitCodes: [0, 128] })
  if (top.exitCode !== 0) return { kind: 'not-a-repo', path, message: `${path} is not a git repository (run "git init" there, or pick another folder)` }
  const root = top.stdout.trim()
  const head = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { operation: 'rev-parse', cwd: root, okExitCodes: [0, 1, 128] })
  if (head.exitCode !== 0) return { kind: 'no-commits', path: root, message: `${root} has no commits yet; commit something first so a task has a base to branch from` }
  return { kind: 'ok', path: root }
}
