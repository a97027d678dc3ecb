// The sidebar: every task as a tree (subtasks under their parent), newest first, live states;
// grouped by repository; filters All / Active / Needs you / Archived; archive and delete on the selected ended task.
import { Fragment, useMemo, useState } from 'react'
import type { TaskSummary } from '../../../../src-preload/contract'
import { useAppStore } from '../../store/app-store'
import { isActive, LifecycleActions, matchesFilter, needsYou, type TaskFilter } from './lifecycle'
import { AgentTag } from './agent-label'
import { repoLabel } from './RepoField'
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

function Row({ node, depth, asking }: { node: Node; depth: number; asking: ReadonlySet<string> }): React.JSX.Element {
  const selected = useAppStore((s) => s.selectedTaskId === node.task.id)
  const select = useAppStore((s) => s.select)
  const t = node.task
  return (
    <>
      <li className="task-item">
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
          {asking.has(t.id) && (
            <span className="badge badge-asks" data-testid="asks-badge">
              asks you
            </span>
          )}
          {t.mergedInto && <MergedBadge into={t.mergedInto} />}
          <AgentTag agent={t.agent} short />
          <StateBadge state={t.state} />
        </button>
        {selected && <LifecycleActions task={t} compact />}
      </li>
      {node.children.map((c) => (
        <Row key={c.task.id} node={c} depth={depth + 1} asking={asking} />
      ))}
    </>
  )
}

interface Group {
  key: string
  label: string
  nodes: Node[]
}

/** Top-level tasks by repository (subtasks stay under their parent), the group with the newest task first. */
export function groupByRepo(roots: Node[]): Group[] {
  const groups = new Map<string, Group>()
  for (const n of roots) {
    const key = n.task.repoUrl?.trim().replace(/\/+$/, '') || ''
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { key, label: key ? repoLabel(key) : 'No repository', nodes: [] }))
    g.nodes.push(n)
  }
  // Two repositories with the same folder name are told apart by their parent folder.
  const list = [...groups.values()]
  const clash = list.filter((g) => g.key && list.some((o) => o !== g && o.label === g.label))
  for (const g of clash) g.label = repoLabel(g.key, 2)
  // roots arrive newest first, so insertion order already puts the newest group first
  return list
}

/** The task rows in the order shown. */
const taskRows = (root: ParentNode = document) => [...root.querySelectorAll<HTMLButtonElement>('[data-testid="task-row"]')]

/** Shows the task `delta` rows below (or above) the shown one; from the keyboard anywhere (Alt+↓/↑). */
export function stepTask(delta: 1 | -1): void {
  const rows = taskRows()
  const i = rows.findIndex((r) => r.getAttribute('aria-current') === 'true')
  const next = rows[i < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, i + delta))]
  next?.focus()
  next?.click()
}

/** Puts the cursor in the shown task's composer once its view is on screen. */
function focusComposer(): void {
  // Two frames: the click's state change renders the new task view in between.
  requestAnimationFrame(() => requestAnimationFrame(() => document.querySelector<HTMLTextAreaElement>('.task-view textarea')?.focus()))
}

/** ↑/↓ on a task row: the next row is focused and shown; Enter opens the task (cursor in its composer). */
function onListKey(e: React.KeyboardEvent<HTMLUListElement>): void {
  const row = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-testid="task-row"]')
  if (!row) return
  if (e.key === 'Enter') {
    e.preventDefault()
    row.click()
    focusComposer()
    return
  }
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
  const rows = taskRows(e.currentTarget)
  const i = rows.indexOf(row)
  const next = rows[Math.min(rows.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))]
  if (!next) return
  e.preventDefault()
  next.focus()
  next.click()
}

const EMPTY: Record<TaskFilter, string> = {
  all: 'No tasks yet. Start one to put an agent to work.',
  active: 'Nothing running.',
  attention: 'Nothing waits for you.',
  archived: 'Nothing archived.',
}

export function TaskList({ onNew }: { onNew(): void }): React.JSX.Element {
  const tasks = useAppStore((s) => s.tasks)
  const questions = useAppStore((s) => s.questions)
  const [filter, setFilter] = useState<TaskFilter>('all')
  const [query, setQuery] = useState('')
  const asking = useMemo(() => new Set(Object.values(questions).filter((q) => q.state === 'pending').map((q) => q.taskId)), [questions])
  const visible = useMemo(() => {
    const q = query.trim().toLowerCase()
    const all = Object.values(tasks).filter((t) => matchesFilter(t, filter, asking))
    // While searching, matches are listed flat (a match's parent may not match).
    if (q) return buildTree(all.filter((t) => t.name.toLowerCase().includes(q)).map((t) => ({ ...t, parentTaskId: null })))
    return buildTree(all)
  }, [tasks, filter, query, asking])
  const list = Object.values(tasks)
  const counts: Record<TaskFilter, number> = {
    all: list.filter((t) => !t.archivedAt).length,
    active: list.filter((t) => isActive(t, asking)).length,
    attention: list.filter((t) => needsYou(t, asking)).length,
    archived: list.filter((t) => t.archivedAt).length,
  }
  const FILTERS: [TaskFilter, string, string][] = [
    ['all', 'All', 'task-count'],
    ['active', 'Active', 'active-count'],
    ['attention', 'Needs you', 'attention-count'],
    ['archived', 'Archived', 'archived-count'],
  ]

  return (
    <nav className="sidebar" aria-label="Tasks">
      <div className="sidebar-head">
        <button className="primary" onClick={onNew} data-testid="new-task">
          New task
        </button>
        <div className="segmented" role="group" aria-label="Filter tasks">
          {FILTERS.map(([f, label, testId]) => (
            <button key={f} aria-pressed={filter === f} onClick={() => setFilter(f)}>
              {label} <span data-testid={testId}>{counts[f]}</span>
            </button>
          ))}
        </div>
        <input className="task-search" type="search" placeholder="Find a task" aria-label="Find a task" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {visible.length === 0 ? (
        <p className="muted empty">{query ? 'No task matches.' : EMPTY[filter]}</p>
      ) : (
        <ul className="task-list" onKeyDown={onListKey}>
          {groupByRepo(visible).map((g) => (
            <Fragment key={g.key}>
              <li className="repo-head" title={g.key || 'Tasks without a repository (scratch directories)'} data-testid="repo-group" data-repo={g.key}>
                <span className="repo-name">{g.label}</span>
                <span className="muted small">{g.nodes.length}</span>
              </li>
              {g.nodes.map((n) => (
                <Row key={n.task.id} node={n} depth={0} asking={asking} />
              ))}
            </Fragment>
          ))}
        </ul>
      )}
    </nav>
  )
}
