// The task list's column: resizable by dragging (or arrow keys on) its edge, collapsible to a
// slim rail; the width is remembered. Narrow windows start with a narrower list.
import { useEffect, useRef, useState } from 'react'

const KEY = 'makima.sidebar'
const MIN = 180
const MAX = 520

interface Saved {
  width: number
  collapsed: boolean
}

function load(): Saved {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Saved> | null
    if (v && typeof v.width === 'number') return { width: clamp(v.width), collapsed: v.collapsed === true }
  } catch {
    // a broken entry: start over
  }
  return { width: window.innerWidth < 1000 ? 220 : 300, collapsed: false }
}

const clamp = (w: number) => Math.round(Math.min(MAX, Math.max(MIN, w)))

export function Sidebar({ children }: { children: React.ReactNode }): React.JSX.Element {
  const [state, setState] = useState<Saved>(load)
  const drag = useRef<{ x: number; width: number } | null>(null)
  useEffect(() => localStorage.setItem(KEY, JSON.stringify(state)), [state])

  if (state.collapsed) {
    return (
      <div className="sidebar-rail">
        <button aria-label="Show the task list" title="Show the task list" onClick={() => setState({ ...state, collapsed: false })}>
          »
        </button>
      </div>
    )
  }
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId)
    drag.current = { x: e.clientX, width: state.width }
  }
  const onPointerMove = (e: React.PointerEvent) => {
    if (drag.current) setState((s) => ({ ...s, width: clamp(drag.current!.width + e.clientX - drag.current!.x) }))
  }
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') setState((s) => ({ ...s, width: clamp(s.width + (e.key === 'ArrowLeft' ? -20 : 20)) }))
  }
  return (
    <div className="sidebar-wrap" style={{ width: state.width }} data-testid="sidebar">
      {children}
      <div
        className="sidebar-resizer"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the task list"
        aria-valuenow={state.width}
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        onKeyDown={onKeyDown}
      />
      <div className="sidebar-foot">
        <button aria-label="Hide the task list" title="Hide the task list" onClick={() => setState({ ...state, collapsed: true })}>
          «
        </button>
      </div>
    </div>
  )
}

/** Whether the window is narrower than `px` (follows resizes). */
export function useNarrow(px = 1000): boolean {
  const query = `(max-width: ${px - 1}px)`
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches)
  useEffect(() => {
    const m = window.matchMedia(query)
    const on = () => setNarrow(m.matches)
    m.addEventListener('change', on)
    return () => m.removeEventListener('change', on)
  }, [query])
  return narrow
}
