import { useEffect, useState } from 'react'
import { getBridge } from '../../bridge'

export function DiffView({ taskId }: { taskId: string }): React.JSX.Element {
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'ready'; diff: string } | { kind: 'error'; message: string }>({ kind: 'loading' })
  useEffect(() => {
    let live = true
    setState({ kind: 'loading' })
    void getBridge()
      .getTaskDiff({ taskId })
      .then((r) => live && setState(r.ok ? { kind: 'ready', diff: r.value.diff } : { kind: 'error', message: r.message }))
    return () => {
      live = false
    }
  }, [taskId])
  switch (state.kind) {
    case 'loading':
      return <p className="muted pad">Reading the worktree…</p>
    case 'error':
      return <p className="error pad">{state.message}</p>
    case 'ready':
      if (!state.diff.trim()) return <p className="muted pad">No changes yet.</p>
      return (
        <pre className="diff" data-testid="diff">
          {state.diff.split('\n').map((line, i) => (
            <span key={i} className={line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : undefined}>
              {line}
              {'\n'}
            </span>
          ))}
        </pre>
      )
  }
}
