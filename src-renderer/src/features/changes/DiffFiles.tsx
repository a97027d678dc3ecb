// A parsed diff shown as a file tree beside one collapsible section per file. Which sections the
// user opened or closed is kept across live refreshes.
import { useMemo, useRef, useState } from 'react'
import { fileLineCount, parseDiff, summarize } from '../tasks/diff-parse'
import { DiffFileSection } from './DiffFileSection'
import { FileTree } from './FileTree'

/** Files with more lines than this start collapsed. */
const COLLAPSE_OVER = 400

export function DiffFiles({ diff, taskId, commit, toolbar }: { diff: string; taskId?: string; commit?: string; toolbar?: React.ReactNode }): React.JSX.Element {
  // Key: path and its occurrence, since `git log -p` can show a path once per commit; a position
  // would shift when a file is added.
  const [toggled, setToggled] = useState<Map<string, boolean>>(() => new Map())
  const list = useRef<HTMLDivElement>(null)
  const parsed = useMemo(() => {
    const d = parseDiff(diff)
    const seen = new Map<string, number>()
    const keys = d.files.map((f) => {
      const n = seen.get(f.path) ?? 0
      seen.set(f.path, n + 1)
      return `${n}:${f.path}`
    })
    return { ...d, keys }
  }, [diff])

  const pick = (index: number) => {
    const key = parsed.keys[index]
    if (key) setToggled((m) => new Map(m).set(key, true))
    // After the section has opened: bring it into view.
    requestAnimationFrame(() => list.current?.querySelectorAll('[data-testid="diff-file"]')[index]?.scrollIntoView({ block: 'start' }))
  }

  return (
    <div className="diff-view" data-testid="diff">
      <div className="diff-summary" data-testid="diff-summary">
        <span>{summarize(parsed)}</span>
        <span className="spacer" />
        {toolbar}
      </div>
      <div className="diff-split">
        {parsed.files.length > 1 && <FileTree files={parsed.files} onPick={pick} />}
        <div className="diff-files" ref={list}>
          {parsed.files.length === 0 && <pre className="diff-body">{diff}</pre>}
          {parsed.files.map((f, i) => {
            const key = parsed.keys[i]!
            const open = toggled.get(key) ?? fileLineCount(f) <= COLLAPSE_OVER
            return <DiffFileSection key={key} file={f} open={open} taskId={taskId} commit={commit} onToggle={() => setToggled((m) => new Map(m).set(key, !open))} />
          })}
        </div>
      </div>
    </div>
  )
}
