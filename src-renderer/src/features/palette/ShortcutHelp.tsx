// The shortcut help: every shortcut of the window, from the same table the key handler uses.
import { LOCAL_KEYS, SHORTCUTS } from './shortcuts'

export function ShortcutHelp({ onClose }: { onClose(): void }): React.JSX.Element {
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <section className="modal" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcut-help">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <dl className="shortcut-list">
          {Object.values(SHORTCUTS).map((s) => (
            <div key={s.id} className="contents">
              <dt>
                <kbd>{s.keys}</kbd>
              </dt>
              <dd>{s.label}</dd>
            </div>
          ))}
          {LOCAL_KEYS.map(([k, what]) => (
            <div key={k} className="contents">
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <div className="actions">
          <button onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </section>
    </div>
  )
}
