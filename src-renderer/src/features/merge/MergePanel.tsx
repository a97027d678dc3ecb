// Merging subtask branches into a supervisor's (or any task's) worktree: branches, conflicts, commit.
// A rebase from "Update from base" that stopped on conflicts is resolved here the same way. The
// panel follows the worktree: an agent asked to resolve commits, and the panel sees it.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { BranchInfo, MergeStatus } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'
import { ConflictEditor } from './ConflictEditor'
import { resolveRequest } from './resolve-request'

export function MergePanel({ taskId }: { taskId: string }): React.JSX.Element {
  const [branches, setBranches] = useState<BranchInfo[] | null>(null)
  const [status, setStatus] = useState<MergeStatus | null>(null)
  const [file, setFile] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const notify = useAppStore((s) => s.notify)
  const wasInProgress = useRef(false)

  const refresh = useCallback(async () => {
    const b = getBridge()
    const [br, st] = await Promise.all([b.listBranches({ taskId }), b.mergeStatus({ taskId })])
    if (br.ok) setBranches(br.value)
    else setError(br.message)
    if (!st.ok) return
    // A merge that was in progress is over (committed or aborted, here or by the agent): its
    // error no longer applies. A refusal to start one stays.
    if (wasInProgress.current && !st.value.inProgress) setError(null)
    wasInProgress.current = st.value.inProgress
    setStatus(st.value)
  }, [taskId])

  useEffect(() => {
    void refresh()
    return getBridge().on('taskFilesChanged', (e) => {
      if (e.taskId === taskId) void refresh()
    })
  }, [refresh, taskId])

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

  const rebase = status?.operation === 'rebase'
  const commit = async () => {
    const r = await getBridge().mergeCommit({
      taskId,
      message: `Merge ${status?.sourceBranch ?? 'branch'}`,
    })
    if (!r.ok) return setError(r.message)
    if (r.value.kind === 'failed') setError(r.value.message)
    else if (r.value.kind === 'merged') {
      setError(null)
      notify('info', rebase ? r.value.message : 'Merge committed')
    }
    setFile(null)
    await refresh()
  }

  const askAgent = async () => {
    if (!status?.inProgress) return
    const r = await getBridge().sendMessage({ taskId, message: resolveRequest(status) })
    if (!r.ok) return setError(r.message)
    notify('info', 'Asked the agent to resolve the conflicts.', taskId)
  }

  const abort = async () => {
    const r = await getBridge().mergeAbort({ taskId })
    if (!r.ok) return setError(r.message)
    setFile(null)
    await refresh()
  }

  const errorLine = error && (
    <p className="error pad" role="alert" data-testid="merge-error">
      {error}
    </p>
  )
  if (!branches) return errorLine || <p className="muted pad">Reading branches…</p>

  if (status?.inProgress) {
    return (
      <div
        className="merge"
        data-testid="merge-in-progress"
        data-operation={status.operation ?? 'merge'}
      >
        {errorLine}
        <div className="merge-bar">
          <span>
            {rebase ? 'Rebasing onto' : 'Merging'} <strong>{status.sourceBranch}</strong> —{' '}
            {status.conflictedFiles.length} conflicted file
            {status.conflictedFiles.length === 1 ? '' : 's'}
            {rebase && (
              <span className="muted small">
                {' '}
                (ours: {status.sourceBranch}; theirs: the task's commit)
              </span>
            )}
          </span>
          <span className="spacer" />
          {status.conflictedFiles.length > 0 && (
            <button
              onClick={() => void askAgent()}
              title="Send the agent a follow-up listing the conflicted files: it resolves them and commits"
            >
              Ask the agent to resolve
            </button>
          )}
          <button onClick={() => void abort()}>{rebase ? 'Abort rebase' : 'Abort merge'}</button>
          <button
            className="primary"
            disabled={status.conflictedFiles.length > 0}
            onClick={() => void commit()}
          >
            {rebase ? 'Continue rebase' : 'Commit merge'}
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

  if (branches.length === 0)
    return (
      <>
        {errorLine}
        <p className="muted pad">No task branches in this repository yet.</p>
      </>
    )
  return (
    <>
      {errorLine}
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
              <td>
                {b.isMerged ? (
                  <span className="muted">merged</span>
                ) : (
                  <button onClick={() => void start(b.name)}>Merge</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
