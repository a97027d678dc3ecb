// One file of a diff: a header with its status and counts that opens and closes the body, and a
// body whose lines can be clicked to comment on them (the comment goes to the agent).
import { useMemo, useState } from 'react'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'
import type { DiffFile } from '../tasks/diff-parse'
import { commentMessage, lineRef, numberLines, type LineRef } from './line-comment'

const STATUS_LABEL: Record<DiffFile['status'], string> = { added: 'added', modified: 'modified', deleted: 'deleted', renamed: 'renamed', binary: 'binary' }

export interface SectionProps {
  file: DiffFile
  open: boolean
  onToggle: () => void
  /** The task a line comment is sent to; absent: lines are not commentable. */
  taskId?: string
  /** The commit this diff is of (the per-commit view): line numbers are as of it. */
  commit?: string
}

export function DiffFileSection({ file: f, open, onToggle, taskId, commit }: SectionProps): React.JSX.Element {
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
          <DiffBody file={f} taskId={taskId} commit={commit} />
        ))}
    </section>
  )
}

function DiffBody({ file, taskId, commit }: { file: DiffFile; taskId?: string; commit?: string }): React.JSX.Element {
  const hunks = useMemo(() => file.hunks.map((h) => ({ header: h.header, lines: numberLines(h) })), [file])
  const [target, setTarget] = useState<LineRef | null>(null)
  // One click handler for the whole body: a file may have thousands of lines.
  const onClick = (e: React.MouseEvent<HTMLPreElement>) => {
    if (!taskId) return
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-hunk]')
    if (!el || window.getSelection()?.toString()) return // selecting text is not a click on a line
    const line = hunks[Number(el.dataset.hunk)]?.lines[Number(el.dataset.idx)]
    const ref = line ? lineRef(file.path, line) : null
    if (ref) setTarget(ref)
  }
  return (
    <>
      <pre className={`diff-body${taskId ? ' commentable' : ''}`} onClick={onClick} title={taskId ? 'Click a line to comment on it' : undefined}>
        {hunks.map((h, hi) => (
          <span key={hi}>
            <span className="hunk">
              {h.header}
              {'\n'}
            </span>
            {h.lines.map((l, li) => (
              <span
                key={li}
                className={`${l.kind === 'context' ? '' : l.kind}${target && lineRef(file.path, l)?.line === target.line && lineRef(file.path, l)?.side === target.side ? ' picked' : ''}`.trim() || undefined}
                data-hunk={hi}
                data-idx={li}
                data-n={l.new ?? l.old ?? ''}
              >
                {l.text}
                {'\n'}
              </span>
            ))}
          </span>
        ))}
      </pre>
      {target && taskId && <CommentBox taskId={taskId} target={target} commit={commit} onDone={() => setTarget(null)} />}
    </>
  )
}

function CommentBox({ taskId, target, commit, onDone }: { taskId: string; target: LineRef; commit?: string; onDone: () => void }): React.JSX.Element {
  const notify = useAppStore((s) => s.notify)
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const send = async () => {
    if (!text.trim() || sending) return
    setSending(true)
    const r = await getBridge().sendMessage({ taskId, message: commentMessage(target, text, commit) })
    setSending(false)
    if (!r.ok) return notify('error', r.message, taskId)
    notify('info', `Comment on ${target.path}:${target.line} sent to the agent.`, taskId)
    onDone()
  }
  return (
    <form
      className="line-comment"
      data-testid="line-comment"
      onSubmit={(e) => {
        e.preventDefault()
        void send()
      }}
    >
      <label className="small">
        <span>
          Comment on <span className="mono">{`${target.path}:${target.line}`}</span>
          {target.side === 'old' ? ' (removed line)' : ''}
          {commit ? ` as of ${commit.slice(0, 7)}` : ''}
        </span>
        <textarea
          rows={3}
          value={text}
          autoFocus
          aria-label="Comment for the agent"
          placeholder="What should the agent change here?"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault()
              void send()
            }
            if (e.key === 'Escape') onDone()
          }}
        />
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={!text.trim() || sending}>
          {sending ? 'Sending…' : 'Send to agent'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
