// The changed-files tree: folders nest, single-folder chains join, counts sum, folders first.
import { describe, expect, it } from 'vitest'
import { buildTree, type TreeDir, type TreeNode } from '../../../../../src-renderer/src/features/changes/file-tree'
import type { DiffFile } from '../../../../../src-renderer/src/features/tasks/diff-parse'

const file = (path: string, added: number, removed: number): DiffFile => ({ path, oldPath: null, status: 'modified', change: 'modified', binary: false, added, removed, hunks: [] })
const show = (n: TreeNode): unknown => (n.kind === 'file' ? `${n.name}#${n.index}` : { [`${n.name} ${n.files} +${n.added} -${n.removed}`]: n.children.map(show) })

describe('buildTree', () => {
  it('nests folders, joins single-folder chains, sums counts, lists folders before files', () => {
    const tree = buildTree([file('README.md', 1, 0), file('src/deep/nested/a.txt', 2, 1), file('src/deep/nested/b.txt', 3, 0), file('src/top.txt', 1, 1)])
    expect(tree.children.map(show)).toEqual([{ 'src 3 +6 -2': [{ 'deep/nested 2 +5 -1': ['a.txt#1', 'b.txt#2'] }, 'top.txt#3'] }, 'README.md#0'])
    const src = tree.children[0] as TreeDir
    expect((src.children[0] as TreeDir).path).toBe('src/deep/nested')
  })

  it('shows a path that several commits changed once, with the counts summed', () => {
    const tree = buildTree([file('a.txt', 1, 0), file('b.txt', 1, 0), file('a.txt', 2, 1)])
    expect(tree.children.map(show)).toEqual(['a.txt#0', 'b.txt#1'])
    expect(tree.added).toBe(4)
    expect(tree.children[0]!.kind === 'file' && [tree.children[0].file.added, tree.children[0].file.removed]).toEqual([3, 1])
  })

  it('keeps a lone root file and an empty diff simple', () => {
    expect(buildTree([]).children).toEqual([])
    expect(buildTree([file('a.txt', 1, 0)]).children.map(show)).toEqual(['a.txt#0'])
  })
})
