// The changed files as a collapsible folder tree; a click on a file shows its section.
import { useMemo, useState } from 'react'
import type { DiffFile } from '../tasks/diff-parse'
import { buildTree, type TreeDir, type TreeNode } from './file-tree'

export function FileTree({ files, onPick }: { files: readonly DiffFile[]; onPick: (index: number) => void }): React.JSX.Element {
  const root = useMemo(() => buildTree(files), [files])
  const [closed, setClosed] = useState<ReadonlySet<string>>(() => new Set())
  const toggle = (path: string) =>
    setClosed((s) => {
      const n = new Set(s)
      if (!n.delete(path)) n.add(path)
      return n
    })
  return (
    <nav className="file-tree" aria-label="Changed files" data-testid="file-tree">
      <ul role="tree">{root.children.map((c) => <Node key={key(c)} node={c} depth={0} closed={closed} toggle={toggle} onPick={onPick} />)}</ul>
    </nav>
  )
}

const key = (n: TreeNode) => (n.kind === 'dir' ? `d:${n.path}` : `f:${n.index}`)

function Counts({ added, removed }: { added: number; removed: number }): React.JSX.Element {
  return (
    <span className="tree-counts mono">
      <span className={added ? 'add' : 'muted'}>+{added}</span> <span className={removed ? 'del' : 'muted'}>−{removed}</span>
    </span>
  )
}

function Node(props: { node: TreeNode; depth: number; closed: ReadonlySet<string>; toggle: (p: string) => void; onPick: (i: number) => void }): React.JSX.Element {
  const { node, depth, closed, toggle, onPick } = props
  const indent = { paddingLeft: 6 + depth * 14 }
  if (node.kind === 'file')
    return (
      <li role="treeitem" aria-selected={false}>
        <button type="button" className="tree-row tree-file" style={indent} data-testid="tree-file" data-path={node.file.path} title={node.file.path} onClick={() => onPick(node.index)}>
          <span className={`tree-dot diff-status-${node.file.status}`} aria-hidden="true" />
          <span className="tree-name mono">{node.name}</span>
          <span className="spacer" />
          <Counts added={node.file.added} removed={node.file.removed} />
        </button>
      </li>
    )
  const dir: TreeDir = node
  const open = !closed.has(dir.path)
  return (
    <li role="treeitem" aria-expanded={open} aria-selected={false}>
      <button type="button" className="tree-row tree-dir" style={indent} data-testid="tree-dir" data-path={dir.path} onClick={() => toggle(dir.path)}>
        <span className="diff-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="tree-name mono">{dir.name}/</span>
        <span className="muted small">{dir.files}</span>
        <span className="spacer" />
        <Counts added={dir.added} removed={dir.removed} />
      </button>
      {open && (
        <ul role="group">
          {dir.children.map((c) => (
            <Node key={key(c)} node={c} depth={depth + 1} closed={closed} toggle={toggle} onPick={onPick} />
          ))}
        </ul>
      )}
    </li>
  )
}
