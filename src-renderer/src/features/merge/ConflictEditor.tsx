// One conflicted file: ours (left, editable — this becomes the result) against theirs (right),
// with CodeMirror's merge view; arrows copy a theirs-chunk into the result.
import { MergeView } from '@codemirror/merge'
import { EditorState } from '@codemirror/state'
import { EditorView } from '@codemirror/view'
import { basicSetup } from 'codemirror'
import { useEffect, useRef, useState } from 'react'
import type { ConflictVersions } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'

const theme = EditorView.theme({ '&': { fontSize: '12.5px', height: '100%' }, '.cm-scroller': { fontFamily: 'var(--mono)' } }, { dark: true })

export function ConflictEditor({ taskId, file, onResolved }: { taskId: string; file: string; onResolved(): void }): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<MergeView | null>(null)
  const [versions, setVersions] = useState<ConflictVersions | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    void getBridge()
      .getConflictVersions({ taskId, file })
      .then((r) => {
        if (!live) return
        if (r.ok) setVersions(r.value)
        else setError(r.message)
      })
    return () => {
      live = false
    }
  }, [taskId, file])

  useEffect(() => {
    if (!versions || versions.binary || !host.current) return
    const mv = new MergeView({
      a: { doc: versions.ours ?? '', extensions: [basicSetup, theme] },
      b: { doc: versions.theirs ?? '', extensions: [basicSetup, theme, EditorState.readOnly.of(true)] },
      parent: host.current,
      revertControls: 'b-to-a',
      highlightChanges: true,
      gutter: true,
    })
    view.current = mv
    return () => {
      mv.destroy()
      view.current = null
    }
  }, [versions])

  const resolve = async (how: { strategy: 'ours' | 'theirs' } | { content: string }) => {
    const r = await getBridge().mergeResolve({ taskId, file, ...how })
    if (!r.ok) return setError(r.message)
    onResolved()
  }

  if (error) return <p className="error pad">{error}</p>
  if (!versions) return <p className="muted pad">Loading both sides…</p>
  return (
    <div className="conflict">
      <div className="conflict-head">
        <strong>{file}</strong>
        <span className="muted">Left: ours — edit it into the result. Right: theirs.</span>
        <span className="spacer" />
        <button onClick={() => void resolve({ strategy: 'ours' })}>Keep ours</button>
        <button onClick={() => void resolve({ strategy: 'theirs' })}>Take theirs</button>
        {!versions.binary && (
          <button className="primary" onClick={() => void resolve({ content: view.current?.a.state.doc.toString() ?? '' })} data-testid="save-resolution">
            Use edited result
          </button>
        )}
      </div>
      {versions.binary ? <p className="muted pad">Binary file: choose a side.</p> : <div className="merge-host" ref={host} />}
    </div>
  )
}
