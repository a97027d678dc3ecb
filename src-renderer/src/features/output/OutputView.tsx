// Live task output as a readable transcript, virtualised: only the rows on screen are in the DOM,
// so a task with hundreds of thousands of lines scrolls as smoothly as one with ten. Follows the
// tail while the user is at the bottom; stops following when they scroll up.
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useAppStore } from '../../store/app-store'
import { formatUsage, parseLines, totalUsage, type OutputItem } from './parse'
import { RichText } from './RichText'

const CHANGE_WORDS = { add: 'Added', update: 'Changed', delete: 'Deleted' } as const

function Item({ item }: { item: OutputItem }): React.JSX.Element {
  switch (item.kind) {
    case 'text':
      return (
        <div className={`out-text out-${item.role}`} data-testid="assistant-text">
          <RichText text={item.text} />
        </div>
      )
    case 'tool-call':
      return (
        <div className="out-tool" data-testid="tool-call">
          <span className="tool-name">{item.name}</span> <span className="tool-summary">{item.summary}</span>
        </div>
      )
    case 'tool-result':
      return (
        <details className={`out-tool-result${item.isError ? ' is-error' : ''}`} data-testid="tool-result">
          <summary>{item.isError ? 'Tool error' : 'Tool result'} · {item.text.split('\n')[0]?.slice(0, 120)}</summary>
          <pre>{item.text}</pre>
        </details>
      )
    case 'file-change':
      return (
        <div className="out-file" data-testid="file-change">
          <span className="file-change-kind">{CHANGE_WORDS[item.change]}</span> <span className="file-change-path">{item.path}</span>
        </div>
      )
    case 'session':
      return <div className="out-session" data-testid="session">{item.text}</div>
    case 'you':
      return (
        <div className="out-you" data-testid="user-turn">
          <span className="turn-who">You</span>
          <RichText text={item.text} />
        </div>
      )
    case 'qa':
      return (
        <div className="out-qa" data-testid="qa-turn">
          <div className="qa-question"><span className="turn-who">Agent asked</span> {item.question}</div>
          <div className="qa-answer"><span className="turn-who">You answered</span> {item.answer}</div>
        </div>
      )
    case 'result': {
      const usage = formatUsage(item.usage)
      return (
        <div className={`out-result${item.isError ? ' is-error' : ''}`} data-testid="turn-result">
          <RichText text={usage ? `${item.text} · ${usage}` : item.text} />
        </div>
      )
    }
    case 'error':
      return <div className="out-error" data-testid="agent-error">{item.text}</div>
    case 'stderr':
      return <pre className="out-stderr">{item.text}</pre>
    case 'notice':
      return <div className="out-notice">{item.text}</div>
    case 'raw':
      return <pre className="out-raw">{item.text}</pre>
  }
}

export function OutputView({ taskId }: { taskId: string }): React.JSX.Element {
  const output = useAppStore((s) => s.output[taskId])
  const items = useMemo(() => parseLines(output?.lines ?? []), [output?.lines])
  const total = useMemo(() => totalUsage(items), [items])
  const scroller = useRef<HTMLDivElement>(null)
  const [follow, setFollow] = useState(true)
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 28,
    overscan: 12,
  })

  // While the user reads further up, the store keeps the front of the window, so the rows they
  // read do not move; back at the tail, it trims again.
  useEffect(() => {
    useAppStore.getState().setReading(taskId, !follow)
  }, [taskId, follow])
  useEffect(() => () => useAppStore.getState().setReading(taskId, false), [taskId])

  // On every change, not only a new count: a full window keeps its count while its lines move on.
  useEffect(() => {
    if (follow && items.length > 0) virtualizer.scrollToIndex(items.length - 1, { align: 'end' })
  }, [items, follow, virtualizer])

  // Only the user's own scrolling stops following. The virtualizer's scrolls land short of the end
  // while new rows are still being measured; judging those as "scrolled up" lost the tail within a
  // second of an agent flood.
  const userScrolledAt = useRef(0)
  const dragging = useRef(false)
  const byUser = () => (userScrolledAt.current = performance.now())
  const onPointerDown = (e: React.PointerEvent) => {
    if (e.target !== e.currentTarget) return // the scrollbar, not a row
    dragging.current = true
    window.addEventListener('pointerup', () => (dragging.current = false), { once: true })
  }
  const onScroll = () => {
    const el = scroller.current
    if (!el) return
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 40) setFollow(true)
    else if (dragging.current || performance.now() - userScrolledAt.current < 250) setFollow(false)
  }

  if (!output?.loaded && items.length === 0) return <p className="muted pad">Loading output…</p>
  if (items.length === 0) return <p className="muted pad">No output yet. The agent's messages, tool calls and results appear here as they happen.</p>

  return (
    <>
    {total.turns > 0 && (
      <div className="usage-total muted" data-testid="usage-total">
        Total · {total.turns} {total.turns === 1 ? 'turn' : 'turns'}{formatUsage(total.usage) ? ` · ${formatUsage(total.usage)}` : ''}
      </div>
    )}
    <div
      className="output"
      ref={scroller}
      onScroll={onScroll}
      onWheel={(e) => e.deltaY < 0 && byUser()}
      onKeyDown={byUser}
      onTouchMove={byUser}
      onPointerDown={onPointerDown}
      data-testid="output"
    >
      {output && (output.lines[0]?.seq ?? 1) > 1 && (
        <div className="out-notice">
          {(output.lines[0]?.seq ?? 1) - 1} earlier lines are stored.{' '}
          <button className="link" onClick={() => void useAppStore.getState().loadEarlier(taskId)} data-testid="load-earlier">
            Show earlier
          </button>
        </div>
      )}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => (
          <div key={v.key} data-index={v.index} ref={virtualizer.measureElement} className="out-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}>
            <Item item={items[v.index]!} />
          </div>
        ))}
      </div>
      {!follow && (
        <button className="follow" onClick={() => setFollow(true)}>
          Jump to latest
        </button>
      )}
    </div>
    </>
  )
}
