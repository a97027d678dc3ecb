// After a crash or restart: the tasks that were running are offered for resume (their worktrees
// are intact and their agent sessions continue where they stopped).
import { useEffect, useState } from 'react'
import type { RequestResult } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'

type Recoverable = RequestResult<'listRecoverable'>[number]

export function RecoveryBanner(): React.JSX.Element | null {
  const [items, setItems] = useState<Recoverable[]>([])
  const tasks = useAppStore((s) => s.tasks)
  const notify = useAppStore((s) => s.notify)
  useEffect(() => {
    void getBridge()
      .listRecoverable()
      .then((r) => r.ok && setItems(r.value))
  }, [])
  if (items.length === 0) return null

  const drop = (id: string) => setItems((xs) => xs.filter((x) => x.taskId !== id))
  const resume = async (id: string) => {
    const r = await getBridge().resumeRecovered({ taskId: id })
    if (!r.ok) return notify('error', r.message)
    drop(id)
  }
  const dismiss = async (id: string) => {
    const r = await getBridge().dismissRecovered({ taskId: id })
    if (!r.ok) return notify('error', r.message)
    drop(id)
  }
  return (
    <div className="banner warn recovery" role="alert" data-testid="recovery-banner">
      <span>
        {items.length === 1 ? 'A task was' : `${items.length} tasks were`} running when Makima stopped. Their worktrees are intact.
      </span>
      <ul>
        {items.map((r) => (
          <li key={r.taskId}>
            <strong>{tasks[r.taskId]?.name ?? r.taskId}</strong>
            <button className="primary" onClick={() => void resume(r.taskId)}>
              Resume
            </button>
            <button onClick={() => void dismiss(r.taskId)}>Dismiss</button>
          </li>
        ))}
      </ul>
      {items.length > 1 && <button onClick={() => void Promise.all(items.map((r) => resume(r.taskId)))}>Resume all</button>}
    </div>
  )
}
