// The repository of a new task: typed, picked from the recent ones, or (in the Electron app) chosen
// in the native folder dialog. The core checks it as soon as the field is left, so a typo is said
// here, inline, before any task exists.
import { useEffect, useRef, useState } from 'react'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'

export type RepoValidity = { kind: 'unchecked' } | { kind: 'checking' } | { kind: 'ok' } | { kind: 'invalid'; message: string }

/** Checks a source with the core; an empty source (a scratch dir) needs no check. */
export async function checkRepo(source: string): Promise<RepoValidity> {
  if (!source.trim()) return { kind: 'ok' }
  const r = await getBridge().checkRepository({ repoUrl: source.trim() })
  if (!r.ok) return { kind: 'invalid', message: r.message }
  return r.value.kind === 'ok' ? { kind: 'ok' } : { kind: 'invalid', message: r.value.message }
}

/** The last part (or `parts` parts) of a path or URL: what a person calls the repository. */
export function repoLabel(source: string, parts = 1): string {
  const all = source.replace(/\.git\/?$/, '').split(/[\\/:]+/).filter(Boolean)
  return all.slice(-parts).join('/') || source
}

interface Props {
  value: string
  onChange(v: string): void
  validity: RepoValidity
  onValidity(v: RepoValidity): void
}

export function RepoField({ value, onChange, validity, onValidity }: Props): React.JSX.Element {
  const [recent, setRecent] = useState<string[]>([])
  const native = useAppStore((s) => s.version?.mode === 'electron')
  useEffect(() => {
    void getBridge()
      .listRecentRepos()
      .then((r) => r.ok && setRecent(r.value))
  }, [])
  // A check answers for the value it was asked about: one that comes back after an edit is dropped.
  const latest = useRef(value)
  latest.current = value
  const check = (v: string) => void checkRepo(v).then((r) => latest.current === v && onValidity(r))
  const set = (v: string, checkNow: boolean) => {
    latest.current = v
    onChange(v)
    onValidity({ kind: 'unchecked' })
    if (checkNow) check(v)
  }
  const browse = async () => {
    const r = await getBridge().pickDirectory({ title: 'Choose a repository' })
    if (r.ok && r.value.path) set(r.value.path, true)
  }
  const invalid = validity.kind === 'invalid'
  return (
    <div className="grow repo-field">
      <div className="repo-input">
        <label className="grow">
          Repository
          <input
            value={value}
            onChange={(e) => set(e.target.value, false)}
            onBlur={() => value.trim() && validity.kind === 'unchecked' && check(value)}
            placeholder="/path/to/repo, a git URL, or new://name (empty: a scratch dir)"
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? 'repo-error' : undefined}
          />
        </label>
        {native && (
          <button type="button" onClick={() => void browse()} data-testid="browse-repo">
            Browse…
          </button>
        )}
      </div>
      {invalid && (
        <p id="repo-error" role="alert" className="error small" data-testid="repo-error">
          {validity.message}
        </p>
      )}
      {recent.length > 0 && (
        <div className="recent-repos" role="group" aria-label="Recent repositories">
          <span className="muted small">Recent:</span>
          {recent.slice(0, 6).map((r) => (
            <button type="button" key={r} className={`chip${r === value ? ' on' : ''}`} title={r} onClick={() => set(r, true)} data-testid="recent-repo">
              {repoLabel(r)}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
