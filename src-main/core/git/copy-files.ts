// Copy named files from a parent task's worktree into a child's, at the same relative paths.
// Both ends stay inside their roots (symlinks included). A failed file is reported, not fatal.
import { copyFile, mkdir, realpath } from 'node:fs/promises'
import { dirname } from 'node:path'
import { isInside, resolveInside } from './paths'

export interface CopyFilesInput {
  fromRoot: string
  toRoot: string
  files: readonly string[]
}

export type CopyFileResult = { path: string; ok: true } | { path: string; ok: false; error: string }

export async function copyFilesBetweenWorktrees(input: CopyFilesInput): Promise<CopyFileResult[]> {
  const results: CopyFileResult[] = []
  const realFrom = await realpath(input.fromRoot)
  const realTo = await realpath(input.toRoot)
  for (const rel of input.files) {
    try {
      const src = await resolveInside(realFrom, rel)
      // The source may itself be a symlink: what it points at must also be inside the parent.
      const realSrc = await realpath(src)
      if (!isInside(realFrom, realSrc)) throw new Error(`${rel} links outside the source worktree`)
      const dest = await resolveInside(realTo, rel)
      await mkdir(dirname(dest), { recursive: true })
      // Re-check after mkdir: a symlinked directory created meanwhile must not lead out.
      const realDestDir = await realpath(dirname(dest))
      if (!isInside(realTo, realDestDir)) throw new Error(`${rel} would be written outside the target worktree`)
      await resolveInside(realTo, rel)
      await copyFile(realSrc, dest)
      results.push({ path: rel, ok: true })
    } catch (e) {
      results.push({ path: rel, ok: false, error: (e as Error).message })
    }
  }
  return results
}
