// The Changes tab: the task's diff as one collapsible section per file under a summary bar. The
// diff moves while the agent works, so it is re-read on request (Refresh) rather than pushed.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { getBridge } from '../../bridge'
import { fileLineCount, parseDiff, summarize, type DiffFile } from './diff-parse'

/** Files with more lines than this start collapsed. */
const COLLAPSE_OVER = 400

type Load = { kind: 'loading' } | { kind: 'ready'; diff: string } | { kind: 'error'; message: string }

const STATUS_LABEL: Record<DiffFile['status'], string> = { added: 'added', modified: 'modified', deleted: 'deleted', renamed: 'renamed', binary: 'binary' }

export function DiffView({ taskId }: { taskId: string }): React.JSX.Element {
  const [state, setState] = useState<Load>({ kind: 'loading' })
  const [refreshing, setRefreshing] = useState(false)
  // Sections the user opened or closed, kept across refreshes (key: path and its occurrence, since
  // `git log -p` can show a path once per commit; a position would shift when a file is added).
  const [toggled, setToggled] = useState<Map<string, boolean>>(() => new Map())
  const request = useRef(0)

  const load = useCallback(() => {
    const n = ++request.current
    setRefreshing(true)
    void getBridge()
      .getTaskDiff({ taskId })
      .then((r) => {
        if (n !== request.current) return // a newer request (or another task) superseded this one
        if (!r.ok) setState({ kind: 'error', message: r.message })
        else if (r.value.tooLarge) setState({ kind: 'error', message: `These changes are larger than ${Math.round(r.value.tooLarge.limitBytes / 1048576)} MB, too large to show here: look at the worktree with git or an editor.` })
        else setState({ kind: 'ready', diff: r.value.diff })
        setRefreshing(false)
      })
  }, [taskId])

  useEffect(() => {
    setState({ kind: 'loading' })
    setToggled(new Map())
    load()
    return () => {
      request.current++
    }
  }, [load])

  const parsed = useMemo(() => {
    if (state.kind !== 'ready') return null
    const d = parseDiff(state.diff)
    const seen = new Map<string, number>()
    const keys = d.files.map((f) => {
      const n = seen.get(f.path) ?? 0
      seen.set(f.path, n + 1)
      return `${n}:${f.path}`
    })
    return { ...d, keys }
  }, [state])

  const refresh = (
    <button type="button" className="diff-refresh" onClick={load} disabled={refreshing}>
      {refreshing && state.kind !== 'loading' ? 'Refreshing…' : 'Refresh'}
    </button>
  )

  switch (state.kind) {
    case 'loading':
      return <p className="muted pad">Reading the worktree…</p>
    case 'error':
      return (
        <div className="diff-view">
          <div className="diff-summary">
            <span className="error">{state.message}</span>
            <span className="spacer" />
            {refresh}
          </div>
        </div>
      )
    case 'ready':
      if (!state.diff.trim() || !parsed)
        return (
          <div className="diff-view">
            <div className="diff-summary">
              <span className="muted">No changes yet.</span>
              <span className="spacer" />
              {refresh}
            </div>
          </div>
        )
      return (
        <div className="diff-view" data-testid="diff">
          <div className="diff-summary" data-testid="diff-summary">
            <span>{summarize(parsed)}</span>
            <span className="spacer" />
            {refresh}
          </div>
          <div className="diff-files">
            {parsed.files.length === 0 && <pre className="diff-body">{state.diff}</pre>}
            {parsed.files.map((f, i) => {
              const key = parsed.keys[i]!
              const open = toggled.get(key) ?? fileLineCount(f) <= COLLAPSE_OVER
              return (
                <FileSection
                  key={key}
                  file={f}
                  open={open}
                  onToggle={() => setToggled((m) => new Map(m).set(key, !open))}
                />
              )
            })}
          </div>
        </div>
      )
  }
}

function FileSection({ file: f, open, onToggle }: { file: DiffFile; open: boolean; onToggle: () => void }): React.JSX.Element {
  const title = f.oldPath ? `${f.oldPath} → ${f.path}` : f.path
  const empty = f.hunks.length === 0
  return (
    <section className="diff-file" data-testid="diff-file" data-path={f.path} data-status={f.status}>
      <button type="button" className="diff-file-head" aria-expanded={open} onClick={onToggle} title={title}>
        <span className="diff-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className={`diff-status diff-status-${f.status}`}>{STATUS_LABEL[f.status]}</span>
        <span className="diff-path mono">{title}</span>
        <span className="spacer" />
        {f.binary ? (
          <span className="muted small">{f.change === 'modified' ? 'binary' : `binary, ${f.change}`}</span>
        ) : (
          <span className="diff-counts mono">
            <span className={f.added ? 'add' : 'muted'}>+{f.added}</span> <span className={f.removed ? 'del' : 'muted'}>−{f.removed}</span>
          </span>
        )}
      </button>
      {open &&
        (empty ? (
          <p className="diff-note muted small">
            {f.binary ? 'Binary file: contents not shown.' : f.change === 'renamed' ? 'Renamed without changes.' : 'No content changes (mode only).'}
          </p>
        ) : (
          <pre className="diff-body">
            {f.hunks.map((h, hi) => (
              <span key={hi}>
                <span className="hunk">
                  {h.header}
                  {'\n'}
                </span>
                {h.lines.map((l, li) => (
                  <span key={li} className={l.kind === 'context' ? undefined : l.kind}>
                    {l.text}
                    {'\n'}
                  </span>
                ))}
              </span>
            ))}
          </pre>
        ))}
    </section>
  )
}
