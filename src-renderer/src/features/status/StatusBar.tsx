import type { ServerStatus } from '../../../../src-preload/contract'
import { useAppStore } from '../../store/app-store'

function describe(s: ServerStatus): { text: string; tone: string } {
  switch (s.kind) {
    case 'local':
      return { text: 'Local mode', tone: 'idle' }
    case 'connecting':
      return {
        text: `Connecting to ${s.url}${s.attempt > 1 ? ` (attempt ${s.attempt})` : ''}`,
        tone: 'busy',
      }
    case 'connected':
      return { text: `Connected to ${s.url}`, tone: 'ok' }
    case 'disconnected':
      return {
        text: `Disconnected (${s.reason}); retrying in ${Math.ceil(s.retryInMs / 1000)} s`,
        tone: 'warn',
      }
    case 'rejected':
      return { text: `Server refused: ${s.message}`, tone: 'error' }
  }
}

export function StatusBar({ onSettings, onShortcuts }: { onSettings(): void; onShortcuts(): void }): React.JSX.Element {
  const server = useAppStore((s) => s.server)
  const version = useAppStore((s) => s.version)
  const d = describe(server)
  return (
    <footer className="status-bar">
      <span className={`dot dot-${d.tone}`} aria-hidden />
      <span data-testid="server-status">{d.text}</span>
      <span className="spacer" />
      <span className="muted">
        Makima <span data-testid="version">{version?.app}</span> · {version?.mode}
      </span>
      <button className="link muted" onClick={onShortcuts} title="Keyboard shortcuts (Ctrl+/)" data-testid="open-shortcuts">
        Shortcuts
      </button>
      <button className="link muted" onClick={onSettings} data-testid="open-settings">
        Settings
      </button>
    </footer>
  )
}
