// Merging subtask branches into a supervisor's (or any task's) worktree: branches, conflicts, commit.
import { useCallback, useEffect, useState } from 'react'
import type { BranchInfo, MergeStatus } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'
import { ConflictEditor } from './ConflictEditor'

export function MergePanel({ taskId }: { taskId: string }): React.JSX.Element {
  const [branches, setBranches] = useState<BranchInfo[] | null>(null)
  const [status, setStatus] = useState<MergeStatus | null>(null)
  const [file, setFile] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const notify = useAppStore((s) => s.notify)

  const refresh = useCallback(async () => {
    const b = getBridge()
    const [br, st] = await Promise.all([b.listBranches({ taskId }), b.mergeStatus({ taskId })])
    if (br.ok) setBranches(br.value)
    else setError(br.message)
    if (st.ok) setStatus(st.value)
  }, [taskId])

  useEffect(() => {
    void refresh()
  }, [refresh])

  // A merge that stopped on conflicts opens the first conflicted file in the editor.
  const firstConflict = status?.inProgress ? (status.conflictedFiles[0] ?? null) : null
  useEffect(() => {
    if (firstConflict && !file) setFile(firstConflict)
  }, [firstConflict, file])

  const start = async (sourceBranch: string) => {
    const r = await getBridge().mergeStart({ taskId, sourceBranch })
    if (!r.ok) return setError(r.message)
    if (r.value.kind === 'merged') notify('info', `Merged ${sourceBranch}`)
    if (r.value.kind === 'failed') setError(r.value.message)
    await refresh()
  }

  const commit = async () => {
    const r = await getBridge().mergeCommit({ taskId, message: `Merge ${status?.sourceBranch ?? 'branch'}` })
    if (!r.ok) return setError(r.message)
    notify('info', 'Merge committed')
    setFile(null)
    await refresh()
  }

  const abort = async () => {
    const r = await getBridge().mergeAbort({ taskId })
    if (!r.ok) return setError(r.message)
    setFile(null)
    await refresh()
  }

  if (error) return <p className="error pad">{error}</p>
  if (!branches) return <p className="muted pad">Reading branches…</p>

  if (status?.inProgress) {
    return (
      <div className="merge" data-testid="merge-in-progress">
        <div className="merge-bar">
          <span>
            Merging <strong>{status.sourceBranch}</strong> — {status.conflictedFiles.length} conflicted file{status.conflictedFiles.length === 1 ? '' : 's'}
          </span>
          <span className="spacer" />
          <button onClick={() => void abort()}>Abort merge</button>
          <button className="primary" disabled={status.conflictedFiles.length > 0} onClick={() => void commit()}>
            Commit merge
          </button>
        </div>
        <ul className="conflict-files">
          {status.conflictedFiles.map((f) => (
            <li key={f}>
              <button className={f === file ? 'selected' : undefined} onClick={() => setFile(f)}>
                {f}
              </button>
            </li>
          ))}
        </ul>
        {file && (
          <ConflictEditor
            key={file}
            taskId={taskId}
            file={file}
            onResolved={() => {
              setFile(null)
              void refresh()
            }}
          />
        )}
      </div>
    )
  }

  if (branches.length === 0) return <p className="muted pad">No task branches in this repository yet.</p>
  return (
    <table className="branches">
      <thead>
        <tr>
          <th>Branch</th>
          <th>Last commit</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {branches.map((b) => (
          <tr key={b.name}>
            <td className="mono">{b.name}</td>
            <td className="muted">{b.lastCommitMessage}</td>
            <td>{b.isMerged ? <span className="muted">merged</span> : <button onClick={() => void start(b.name)}>Merge</button>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
