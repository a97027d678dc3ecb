// The settings a user may change here. The core checks each value with the config's own rules and
// answers with what it saved; values set by a flag or the environment are shown locked, with their
// source; a change that only a restart can apply says so.
import { useState } from 'react'
import { AGENT_NAMES, THEMES, type EditableSetting, type EditableSettingKey, type SettingsView, type Theme } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { AGENT_LABELS } from '../tasks/agent-label'
import { applyTheme } from './theme'

type Field = { label: string; input: 'text' | 'number' | 'select'; options?: [string, string][]; placeholder?: string }

const FIELDS: Record<EditableSettingKey, Field> = {
  'agent.default': { label: 'Default agent', input: 'select', options: AGENT_NAMES.map((a) => [a, AGENT_LABELS[a]]) },
  'agent.model': { label: 'Default model (Claude)', input: 'text', placeholder: "the CLI's default, e.g. sonnet or opus" },
  'process.enable_permissions': {
    label: 'Permission mode',
    input: 'select',
    options: [
      ['false', 'Work without asking (permissions bypassed, in its worktree)'],
      ['true', 'Ask before risky actions'],
    ],
  },
  'process.max_concurrent_tasks': { label: 'Max concurrent tasks', input: 'number' },
  'server.url': { label: 'Makima server URL', input: 'text', placeholder: 'none — local mode (wss://…)' },
  'server.heartbeat_interval_secs': { label: 'Heartbeat interval (seconds)', input: 'number' },
  'ui.theme': { label: 'Theme', input: 'select', options: THEMES.map((t) => [t, t === 'system' ? 'System' : t === 'dark' ? 'Dark' : 'Light']) },
}

const asText = (v: EditableSetting['value']) => (v === null ? '' : String(v))

export function Preferences({ view, onSaved }: { view: SettingsView; onSaved(v: SettingsView): void }): React.JSX.Element {
  const [draft, setDraft] = useState<Partial<Record<EditableSettingKey, string>>>({})
  const [error, setError] = useState<{ key: string | null; message: string } | null>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const changes = view.editable.filter((e) => draft[e.key] !== undefined && draft[e.key] !== asText(e.value))

  const save = async (ev: React.FormEvent) => {
    ev.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    const r = await getBridge().updateSettings({
      changes: changes.map((e) => {
        const text = draft[e.key]!
        // Booleans cross as booleans; numbers as typed, so the core's rule judges "abc" or "0".
        return { key: e.key, value: e.key === 'process.enable_permissions' ? text === 'true' : text }
      }),
    })
    setBusy(false)
    if (!r.ok) return setError({ key: view.editable.find((e) => r.message.startsWith(e.key))?.key ?? null, message: r.message })
    setDraft({})
    setSaved(true)
    applyTheme(r.value.theme as Theme)
    onSaved(r.value)
  }

  return (
    <form className="prefs" onSubmit={(e) => void save(e)} aria-label="Preferences" data-testid="preferences">
      {view.editable.map((e) => {
        const f = FIELDS[e.key]
        const id = `pref-${e.key.replace(/\./g, '-')}`
        const value = draft[e.key] ?? asText(e.value)
        const set = (v: string) => {
          setDraft((d) => ({ ...d, [e.key]: v }))
          setSaved(false)
        }
        const invalid = error?.key === e.key
        return (
          <div key={e.key} className="pref" data-key={e.key}>
            <label htmlFor={id}>{f.label}</label>
            {f.input === 'select' ? (
              <select id={id} value={value} disabled={e.locked} onChange={(x) => set(x.target.value)} aria-invalid={invalid || undefined}>
                {f.options!.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            ) : (
              <input id={id} value={value} disabled={e.locked} inputMode={f.input === 'number' ? 'numeric' : undefined} placeholder={f.placeholder} onChange={(x) => set(x.target.value)} aria-invalid={invalid || undefined} />
            )}
            <span className="pref-note muted small" data-testid="pref-note">
              {e.locked ? `🔒 Set by ${e.source}` : e.pendingRestart ? 'Saved — applies after a restart' : e.applies === 'restart' ? 'Applies after a restart' : 'Applies now'}
            </span>
          </div>
        )
      })}
      {error && (
        <p role="alert" className="error small" data-testid="settings-error">
          {error.message}
        </p>
      )}
      <div className="actions">
        {saved && <span className="muted small" role="status">Saved.</span>}
        <button type="submit" className="primary" disabled={busy || changes.length === 0}>
          Save
        </button>
      </div>
    </form>
  )
}
