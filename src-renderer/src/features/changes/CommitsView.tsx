// The per-commit view: the task branch's commits since its base, newest first; one picked shows
// its own diff. The list follows the branch live (a new commit appears without Refresh).
import { useCallback, useEffect, useState } from 'react'
import type { RequestResult } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { DiffFiles } from './DiffFiles'
import { useLiveLoad, type Load } from './use-live-load'

type Commit = RequestResult<'listTaskCommits'>['commits'][number]
type CommitDiff = RequestResult<'getCommitDiff'>

export function RefreshButton({ onClick, busy }: { onClick: () => void; busy: boolean }): React.JSX.Element {
  return (
    <button type="button" className="diff-refresh" onClick={onClick} disabled={busy}>
      {busy ? 'Refreshing…' : 'Refresh'}
    </button>
  )
}

export function CommitsView({ taskId, modes }: { taskId: string; modes: React.ReactNode }): React.JSX.Element {
  const read = useCallback(() => getBridge().listTaskCommits({ taskId }), [taskId])
  const { state, refreshing, reload } = useLiveLoad(taskId, read)
  const toolbar = (
    <>
      {modes}
      <RefreshButton onClick={reload} busy={refreshing && state.kind !== 'loading'} />
    </>
  )
  const [picked, setPicked] = useState<string | null>(null)
  const commits = state.kind === 'ready' ? state.value.commits : []
  const shown = picked && commits.some((c) => c.sha === picked) ? picked : (commits[0]?.sha ?? null)

  if (state.kind === 'loading') return <p className="muted pad">Reading the branch…</p>
  if (state.kind === 'error')
    return (
      <div className="diff-summary">
        <span className="error">{state.message}</span>
        <span className="spacer" />
        {toolbar}
      </div>
    )
  if (commits.length === 0)
    return (
      <div className="diff-summary">
        <span className="muted">No commits on this branch since its base yet.</span>
        <span className="spacer" />
        {toolbar}
      </div>
    )
  return (
    <div className="commits-view">
      <ol className="commit-list" aria-label="Commits" data-testid="commit-list">
        {state.value.merged && <li className="muted small pad-s">Merged: the commits this branch made.</li>}
        {commits.map((c) => (
          <li key={c.sha}>
            <CommitRow commit={c} active={c.sha === shown} onPick={() => setPicked(c.sha)} />
          </li>
        ))}
        {state.value.total > commits.length && <li className="muted small pad-s">{state.value.total - commits.length} older commits not listed.</li>}
      </ol>
      {shown && <CommitDiffPane key={shown} taskId={taskId} sha={shown} toolbar={toolbar} />}
    </div>
  )
}

function CommitRow({ commit: c, active, onPick }: { commit: Commit; active: boolean; onPick: () => void }): React.JSX.Element {
  return (
    <button type="button" className={`commit-row${active ? ' active' : ''}`} aria-current={active} data-testid="commit" data-sha={c.sha} onClick={onPick} title={`${c.sha}\n${c.author}, ${c.date}`}>
      <span className="mono small muted">{c.sha.slice(0, 7)}</span>
      <span className="commit-subject">{c.subject || '(no message)'}</span>
      {c.parents > 1 && <span className="diff-status">merge</span>}
    </button>
  )
}

function CommitDiffPane({ taskId, sha, toolbar }: { taskId: string; sha: string; toolbar: React.ReactNode }): React.JSX.Element {
  const [state, setState] = useState<Load<CommitDiff>>({ kind: 'loading' })
  useEffect(() => {
    let live = true
    void getBridge()
      .getCommitDiff({ taskId, sha })
      .then((r) => live && setState(r.ok ? { kind: 'ready', value: r.value } : { kind: 'error', message: r.message }))
    return () => {
      live = false
    }
  }, [taskId, sha])
  if (state.kind === 'loading') return <p className="muted pad">Reading the commit…</p>
  if (state.kind === 'error') return <p className="error pad">{state.message}</p>
  if (state.value.tooLarge) return <p className="muted pad">This commit is too large to show here.</p>
  return (
    <div className="commit-diff" data-testid="commit-diff" data-sha={state.value.sha}>
      <DiffFiles diff={state.value.diff} taskId={taskId} commit={state.value.sha} toolbar={toolbar} />
    </div>
  )
}
