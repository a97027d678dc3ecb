// Find a task's worktree: the recorded path first, then a scan of the worktrees dir for an entry
// named with the task's 8-character short id that contains `.git`.
import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { shortId } from './refs'

export interface FindWorktreeInput {
  taskId: string
  worktreesDir: string
  recordedPath?: string | null
}

async function isWorktree(p: string): Promise<boolean> {
  try {
    await lstat(join(p, '.git'))
    return true
  } catch {
    return false
  }
}

export async function findTaskWorktree(input: FindWorktreeInput): Promise<string | null> {
  if (input.recordedPath && (await isWorktree(input.recordedPath))) return input.recordedPath
  const short = shortId(input.taskId)
  let names: string[]
  try {
    names = await readdir(input.worktreesDir)
  } catch {
    return null
  }
  for (const name of names.sort()) {
    if (!name.toLowerCase().startsWith(short)) continue
    const p = join(input.worktreesDir, name)
    if (await isWorktree(p)) return p
  }
  return null
}
