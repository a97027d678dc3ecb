// The changed files as a folder tree with summed +/- counts. Chains of single-folder directories
// are joined ("src/core/git") so a deep path does not cost one row per level.
import type { DiffFile } from '../tasks/diff-parse'

export interface TreeFile {
  kind: 'file'
  name: string
  /** Index into the diff's file list (the section it stands for). */
  index: number
  file: DiffFile
}

export interface TreeDir {
  kind: 'dir'
  /** Full path of the folder, the key of its open/closed state. */
  path: string
  name: string
  added: number
  removed: number
  files: number
  children: TreeNode[]
}

export type TreeNode = TreeDir | TreeFile

export function buildTree(files: readonly DiffFile[]): TreeDir {
  const root: TreeDir = { kind: 'dir', path: '', name: '', added: 0, removed: 0, files: 0, children: [] }
  // `git log -p` shows a path once per commit: one row per path, its counts summed, pointing at
  // its first section.
  const byPath = new Map<string, TreeFile>()
  files.forEach((file, index) => {
    const seen = byPath.get(file.path)
    if (seen) {
      seen.file = { ...seen.file, added: seen.file.added + file.added, removed: seen.file.removed + file.removed }
      return
    }
    const parts = file.path.split('/').filter(Boolean)
    let dir = root
    for (const part of parts.slice(0, -1)) {
      const path = dir.path ? `${dir.path}/${part}` : part
      let next = dir.children.find((c): c is TreeDir => c.kind === 'dir' && c.path === path)
      if (!next) dir.children.push((next = { kind: 'dir', path, name: part, added: 0, removed: 0, files: 0, children: [] }))
      dir = next
    }
    const leaf: TreeFile = { kind: 'file', name: parts.at(-1) ?? file.path, index, file }
    byPath.set(file.path, leaf)
    dir.children.push(leaf)
  })
  sum(root)
  return compact(root)
}

function sum(d: TreeDir): void {
  d.added = d.removed = d.files = 0
  for (const c of d.children) {
    if (c.kind === 'dir') {
      sum(c)
      d.added += c.added
      d.removed += c.removed
      d.files += c.files
    } else {
      d.added += c.file.added
      d.removed += c.file.removed
      d.files += 1
    }
  }
  // Folders first, then files, each by name.
  d.children.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1))
}

function compact(d: TreeDir): TreeDir {
  const children = d.children.map((c) => (c.kind === 'dir' ? compact(c) : c))
  const only = children.length === 1 ? children[0] : undefined
  if (d.path && only?.kind === 'dir') return { ...only, name: `${d.name}/${only.name}` }
  return { ...d, children }
}
