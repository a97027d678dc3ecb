// Everything a contract has gathered: its subtasks, merges, pull requests, reports, files and the
// history of its phases. Refreshed whenever the contract or one of its tasks changes.
import { useEffect, useState } from 'react'
import type { ContractDetail } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'
import { StateBadge } from './state-badge'

export function ContractPanel({ contractId }: { contractId: string }): React.JSX.Element {
  const [detail, setDetail] = useState<ContractDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const version = useAppStore((s) => s.contracts[contractId]?.updatedAt)
  const tasks = useAppStore((s) => s.tasks)
  const select = useAppStore((s) => s.select)
  const taskStamp = Object.values(tasks)
    .filter((t) => t.contractId === contractId)
    .map((t) => t.updatedAt)
    .join()

  useEffect(() => {
    let live = true
    void getBridge()
      .getContract({ contractId })
      .then((r) => live && (r.ok ? setDetail(r.value) : setError(r.message)))
    return () => {
      live = false
    }
  }, [contractId, version, taskStamp])

  if (error) return <p className="error pad">{error}</p>
  if (!detail) return <p className="muted pad">Loading the contract…</p>
  return (
    <div className="contract-panel" data-testid="contract-panel">
      <section>
        <h3>Goal</h3>
        <p className="pre">{detail.goal}</p>
      </section>
      <section>
        <h3>Tasks ({detail.tasks.length})</h3>
        {detail.tasks.length === 0 ? (
          <p className="muted">No subtasks yet.</p>
        ) : (
          <ul className="plain">
            {detail.tasks.map((t) => (
              <li key={t.taskId}>
                <button className="link" onClick={() => select(t.taskId)}>
                  {t.name}
                </button>{' '}
                {tasks[t.taskId] ? <StateBadge state={tasks[t.taskId]!.state} /> : <span className="muted">{t.status}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {detail.merges.length > 0 && (
        <section>
          <h3>Merges</h3>
          <ul className="plain">
            {detail.merges.map((m) => (
              <li key={`${m.taskId}-${m.createdAt}`}>
                {m.kind === 'merged' ? 'Merged' : 'Skipped'} {tasks[m.taskId]?.name ?? m.taskId}
                {m.targetBranch && <span className="muted"> into {m.targetBranch}</span>}
                {m.sha && <span className="mono muted"> {m.sha.slice(0, 8)}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {detail.pullRequests.length > 0 && (
        <section>
          <h3>Pull requests</h3>
          <ul className="plain">
            {detail.pullRequests.map((p) => (
              <li key={p.url}>
                <a href={p.url} target="_blank" rel="noreferrer">
                  {p.title}
                </a>{' '}
                <span className="muted">
                  {p.branch} → {p.base}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {detail.reports.length > 0 && (
        <section>
          <h3>Reports</h3>
          <ul className="plain">
            {detail.reports.map((r) => (
              <li key={r.seq}>
                <span className="muted small">{new Date(r.createdAt).toLocaleTimeString()} · </span>
                <span className="pre">{r.text}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {detail.files.length > 0 && (
        <section>
          <h3>Files</h3>
          {detail.files.map((f) => (
            <details key={f.id}>
              <summary>{f.name}</summary>
              <pre className="pre">{f.content}</pre>
            </details>
          ))}
        </section>
      )}
      <section>
        <h3>Phases</h3>
        <ul className="plain">
          {detail.phaseLog.map((p, i) => (
            <li key={i} className="muted small">
              {new Date(p.at).toLocaleString()}: {p.fromPhase ? `${p.fromPhase} → ` : ''}
              {p.toPhase} <span>by {p.by}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  )
}
