// Settings: what the user may change (Preferences: saved in the data dir, checked by the core with
// the config's rules, locked when a flag or the environment sets them), then where everything lives
// and how the core is set up (read-only: TOML files, environment and flags).
import { useEffect, useState } from 'react'
import type { SettingsView } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { Preferences } from './Preferences'

export function SettingsDialog({ onClose }: { onClose(): void }): React.JSX.Element {
  const [settings, setSettings] = useState<SettingsView | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    void getBridge()
      .getSettings()
      .then((r) => (r.ok ? setSettings(r.value) : setError(r.message)))
  }, [])
  const rows: [string, string][] = settings
    ? [
        ['Data directory', settings.dataDir],
        ['Database', settings.dbPath],
        ['Log file', settings.logFile],
        ['Worktrees', settings.worktreesDir],
        ['Cloned repositories', settings.reposDir],
        ['Config files read', settings.configFiles.join(', ') || 'none (defaults, environment and flags)'],
        ['Agent command', settings.agentCommand],
        ['Concurrent agents', `${settings.maxConcurrentTasks} (per contract ${settings.maxTasksPerContract})`],
        ['Heartbeat commits', settings.heartbeatCommitIntervalSecs ? `every ${settings.heartbeatCommitIntervalSecs} s` : 'off'],
        ['Sandbox (bubblewrap)', settings.bubblewrap ? 'on' : 'off'],
        ['Makima server', settings.serverUrl ? `${settings.serverUrl} (API key ${settings.apiKeySet ? 'set' : 'missing'})` : 'none — local mode'],
        ['Web UI', settings.webUrl ?? 'off'],
      ]
    : []
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <section className="modal settings-modal" role="dialog" aria-modal="true" aria-labelledby="settings-title" data-testid="settings">
        <h2 id="settings-title">Settings</h2>
        {error && <p className="error">{error}</p>}
        {!settings && !error && <p className="muted">Loading…</p>}
        {settings && <Preferences view={settings} onSaved={setSettings} />}
        {settings && (
          <details className="settings-where">
            <summary>Where things live</summary>
            <dl className="settings">
              {rows.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd className="mono">{v}</dd>
                </div>
              ))}
            </dl>
            <p className="muted small">These come from makima-daemon.toml, the MAKIMA_DAEMON_* environment or flags; change them there, then restart.</p>
          </details>
        )}
        <div className="actions">
          <button onClick={onClose}>Close</button>
        </div>
      </section>
    </div>
  )
}
