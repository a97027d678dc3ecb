// Toasts in one corner, in the page's flow above the status bar: they push the view up instead of
// covering its controls. Errors stay until dismissed; the rest go by themselves (store/notices.ts).
import { useAppStore } from '../../store/app-store'

export function Toasts(): React.JSX.Element | null {
  const notices = useAppStore((s) => s.notices)
  const dismiss = useAppStore((s) => s.dismissNotice)
  const select = useAppStore((s) => s.select)
  if (notices.length === 0) return null
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {notices.map((n) => (
        <div key={n.id} className={`toast toast-${n.level}`} role={n.level === 'error' ? 'alert' : 'status'} data-testid="toast">
          <span className="toast-text">{n.message}</span>
          {n.taskId && (
            <button className="link" onClick={() => select(n.taskId)}>
              Show
            </button>
          )}
          <button className="link" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
