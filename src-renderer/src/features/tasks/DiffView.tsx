// The Changes tab: the task's diff (a file tree beside one collapsible section per file) or its
// commits one by one. It follows the worktree live: the core signals changes (agent tools, the
// task's end, merges; debounced there) and the view re-reads, at most one read in flight.
import { useCallback, useState } from 'react'
import type { RequestResult } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { CommitsView, RefreshButton } from '../changes/CommitsView'
import { DiffFiles } from '../changes/DiffFiles'
import { useLiveLoad } from '../changes/use-live-load'
import '../changes/changes.css'

type Mode = 'all' | 'commits'
type TaskDiff = RequestResult<'getTaskDiff'>

const SCOPE_NOTE: Record<NonNullable<TaskDiff['scope']>, string | null> = {
  uncommitted: 'Uncommitted work',
  commits: 'Commits since the base',
  merged: 'Merged: the changes this branch made',
  empty: null,
}

export function DiffView({ taskId }: { taskId: string }): React.JSX.Element {
  const [mode, setMode] = useState<Mode>('all')
  const read = useCallback(() => getBridge().getTaskDiff({ taskId }), [taskId])
  // In the commits view only its list follows the branch; the full diff is read again on return.
  const { state, refreshing, reload } = useLiveLoad(taskId, read, { live: mode === 'all' })

  const modes = (
    <div className="segmented" role="group" aria-label="Show">
      <button type="button" aria-pressed={mode === 'all'} onClick={() => setMode('all')}>
        All changes
      </button>
      <button type="button" aria-pressed={mode === 'commits'} onClick={() => setMode('commits')}>
        Commits
      </button>
    </div>
  )
  const toolbar = (
    <>
      {modes}
      <RefreshButton onClick={reload} busy={refreshing && state.kind !== 'loading'} />
    </>
  )

  if (mode === 'commits') return <CommitsView taskId={taskId} modes={modes} />
  switch (state.kind) {
    case 'loading':
      return <p className="muted pad">Reading the worktree…</p>
    case 'error':
      return <Bar toolbar={toolbar}>{<span className="error">{state.message}</span>}</Bar>
    case 'ready': {
      const v = state.value
      if (v.tooLarge)
        return (
          <Bar toolbar={toolbar}>
            <span className="error">{`These changes are larger than ${Math.round(v.tooLarge.limitBytes / 1048576)} MB, too large to show here: look at the worktree with git or an editor.`}</span>
          </Bar>
        )
      if (!v.diff.trim()) return <Bar toolbar={toolbar}>{<span className="muted">No changes yet.</span>}</Bar>
      const note = v.scope ? SCOPE_NOTE[v.scope] : null
      return (
        <DiffFiles
          diff={v.diff}
          taskId={taskId}
          toolbar={
            <>
              {note && (
                <span className="muted small" data-testid="diff-scope" data-scope={v.scope}>
                  {note}
                </span>
              )}
              {toolbar}
            </>
          }
        />
      )
    }
  }
}

function Bar({ children, toolbar }: { children: React.ReactNode; toolbar: React.ReactNode }): React.JSX.Element {
  return (
    <div className="diff-view">
      <div className="diff-summary">
        {children}
        <span className="spacer" />
        {toolbar}
      </div>
    </div>
  )
}
