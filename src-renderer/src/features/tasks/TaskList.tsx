// The sidebar: every task as a tree (subtasks under their parent), newest first, live states.
import { useMemo, useState } from 'react'
import { ACTIVE_STATES, type TaskSummary } from '../../../../src-preload/contract'
import { useAppStore } from '../../store/app-store'
import { MergedBadge, StateBadge } from './state-badge'

interface Node {
  task: TaskSummary
  children: Node[]
}

function buildTree(tasks: TaskSummary[]): Node[] {
  const byId = new Map(tasks.map((t) => [t.id, { task: t, children: [] as Node[] }]))
  const roots: Node[] = []
  for (const node of byId.values()) {
    const parent = node.task.parentTaskId ? byId.get(node.task.parentTaskId) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const sort = (nodes: Node[]) => {
    nodes.sort((a, b) => b.task.createdAt.localeCompare(a.task.createdAt))
    for (const n of nodes) sort(n.children)
  }
  sort(roots)
  return roots
}

function Row({ node, depth }: { node: Node; depth: number }): React.JSX.Element {
  const selected = useAppStore((s) => s.selectedTaskId === node.task.id)
  const select = useAppStore((s) => s.select)
  const t = node.task
  return (
    <>
      <li>
        <button
          className={`task-row${selected ? ' selected' : ''}`}
          style={{ paddingLeft: 12 + depth * 14 }}
          onClick={() => select(t.id)}
          aria-current={selected ? 'true' : undefined}
          data-testid="task-row"
          data-task-id={t.id}
        >
          <span className="task-name" title={t.name}>
            {t.isSupervisor ? '◆ ' : t.isOrchestrator ? '◇ ' : ''}
            {t.name}
          </span>
          {t.mergedInto && <MergedBadge into={t.mergedInto} />}
          <StateBadge state={t.state} />
        </button>
      </li>
      {node.children.map((c) => (
        <Row key={c.task.id} node={c} depth={depth + 1} />
      ))}
    </>
  )
}

export function TaskList({ onNew }: { onNew(): void }): React.JSX.Element {
  const tasks = useAppStore((s) => s.tasks)
  const [filter, setFilter] = useState<'active' | 'all'>('all')
  const [query, setQuery] = useState('')
  const visible = useMemo(() => {
    const q = query.trim().toLowerCase()
    let all = Object.values(tasks)
    if (filter === 'active') all = all.filter((t) => ACTIVE_STATES.includes(t.state))
    // While searching, matches are listed flat (a match's parent may not match).
    if (q) return buildTree(all.filter((t) => t.name.toLowerCase().includes(q)).map((t) => ({ ...t, parentTaskId: null })))
    return buildTree(all)
  }, [tasks, filter, query])
  const activeCount = useMemo(() => Object.values(tasks).filter((t) => ACTIVE_STATES.includes(t.state)).length, [tasks])

  return (
    <nav className="sidebar" aria-label="Tasks">
      <div className="sidebar-head">
        <button className="primary" onClick={onNew} data-testid="new-task">
          New task
        </button>
        <div className="segmented" role="group" aria-label="Filter tasks">
          <button aria-pressed={filter === 'all'} onClick={() => setFilter('all')}>
            All <span data-testid="task-count">{Object.keys(tasks).length}</span>
          </button>
          <button aria-pressed={filter === 'active'} onClick={() => setFilter('active')}>
            Active <span data-testid="active-count">{activeCount}</span>
          </button>
        </div>
        <input className="task-search" type="search" placeholder="Find a task" aria-label="Find a task" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {visible.length === 0 ? (
        <p className="muted empty">{query ? 'No task matches.' : filter === 'all' ? 'No tasks yet. Start one to put an agent to work (Ctrl+N).' : 'Nothing running.'}</p>
      ) : (
        <ul className="task-list">
          {visible.map((n) => (
            <Row key={n.task.id} node={n} depth={0} />
          ))}
        </ul>
      )}
    </nav>
  )
}
