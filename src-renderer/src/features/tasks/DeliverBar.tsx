// Finishing a task: bring its base in ("Update from base", conflicts go to the Merge tab), merge
// its branch into a target branch (picked from the local branches, the base first), open a pull
// request, or remove its worktree (uncommitted work is saved in a WIP commit first).
import { useEffect, useState } from 'react'
import type { TaskSummary } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'
import { useBranchMoved } from './use-branch-moved'

type Form =
  | { kind: 'none' }
  | { kind: 'merge'; target: string; squash: boolean }
  | { kind: 'pr'; title: string; body: string }
  | { kind: 'remove'; deleteBranch: boolean }

/** The local branches, the task's base first (null while loading). */
function useBranches(taskId: string, wanted: boolean): { base: string; branches: string[] } | null {
  const [branches, setBranches] = useState<{ base: string; branches: string[] } | null>(null)
  useEffect(() => {
    if (!wanted) return
    let live = true
    void getBridge().listLocalBranches({ taskId }).then((r) => live && r.ok && setBranches(r.value))
    return () => {
      live = false
    }
  }, [taskId, wanted])
  return branches
}

export function DeliverBar({ task, onConflicts }: { task: TaskSummary; onConflicts: () => void }): React.JSX.Element | null {
  const [form, setForm] = useState<Form>({ kind: 'none' })
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const [updateBy, setUpdateBy] = useState<'merge' | 'rebase'>('merge')
  const notify = useAppStore((s) => s.notify)
  const branches = useBranches(task.id, form.kind === 'merge')
  // A refusal ("merge the base into the task first") is about the branch as it was: once it has
  // a new commit (a merge committed in the Merge tab, by the agent…) the message is stale.
  useBranchMoved(task.id, result?.ok === false, () => setResult((r) => (r && !r.ok ? null : r)))
  if (!task.worktreePath) return null

  const updateFromBase = async () => {
    setBusy(true)
    const r = await getBridge().updateFromBase({ taskId: task.id, mode: updateBy })
    setBusy(false)
    if (!r.ok) return setResult({ ok: false, text: r.message })
    if (r.value.kind === 'failed') return setResult({ ok: false, text: r.value.message })
    // The old refusal is answered either way: merged now, or resolving in the Merge tab.
    setResult(null)
    if (r.value.kind === 'conflicts') {
      notify('info', `${r.value.files.length} conflicted file(s): resolve them, then commit the merge.`)
      onConflicts()
    } else notify('info', r.value.message)
  }

  const run = async (fn: () => Promise<{ ok: boolean; text: string }>) => {
    setBusy(true)
    const r = await fn()
    setBusy(false)
    setResult(r)
    if (r.ok) {
      setForm({ kind: 'none' })
      notify('info', r.text)
    }
  }

  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    const b = getBridge()
    switch (form.kind) {
      case 'merge':
        return void run(async () => {
          const r = await b.mergeTaskToTarget({
            taskId: task.id,
            targetBranch: form.target || undefined,
            squash: form.squash,
          })
          if (!r.ok) return { ok: false, text: r.message }
          return {
            ok: r.value.kind === 'merged',
            text:
              r.value.kind === 'conflicts'
                ? `${r.value.message} (${r.value.files.join(', ')})`
                : r.value.message,
          }
        })
      case 'pr':
        return void run(async () => {
          const r = await b.createPullRequest({
            taskId: task.id,
            title: form.title.trim(),
            body: form.body.trim() || undefined,
          })
          return r.ok
            ? { ok: true, text: `Pull request opened: ${r.value.url}` }
            : { ok: false, text: r.message }
        })
      case 'remove':
        return void run(async () => {
          const r = await b.removeWorktree({ taskId: task.id, deleteBranch: form.deleteBranch })
          return r.ok ? { ok: true, text: r.value.message } : { ok: false, text: r.message }
        })
      case 'none':
        return
    }
  }

  return (
    <div className="deliver" data-testid="deliver">
      <div className="deliver-buttons">
        <span className="update-from-base">
          <button onClick={() => void updateFromBase()} disabled={busy} title={updateBy === 'merge' ? "Merge the base branch into this task's branch" : "Replay this task's commits on top of the base branch"}>
            Update from base
          </button>
          <select aria-label="Update by" value={updateBy} onChange={(e) => setUpdateBy(e.target.value === 'rebase' ? 'rebase' : 'merge')}>
            <option value="merge">by merge</option>
            <option value="rebase">by rebase</option>
          </select>
        </span>
        <button onClick={() => setForm({ kind: 'merge', target: '', squash: false })}>
          Merge into…
        </button>
        <button onClick={() => setForm({ kind: 'pr', title: task.name, body: '' })}>
          Open pull request
        </button>
        <button onClick={() => setForm({ kind: 'remove', deleteBranch: false })}>
          Remove worktree
        </button>
      </div>
      {form.kind !== 'none' && (
        <form className="deliver-form" onSubmit={submit}>
          {form.kind === 'merge' && (
            <>
              <select
                aria-label="Target branch"
                value={form.target || branches?.base || ''}
                onChange={(e) => setForm({ ...form, target: e.target.value })}
                disabled={!branches}
              >
                {!branches && <option value="">reading branches…</option>}
                {branches?.branches.map((b) => (
                  <option key={b} value={b}>
                    {b === branches.base ? `${b} (base)` : b}
                  </option>
                ))}
              </select>
              <label className="check">
                <input
                  type="checkbox"
                  checked={form.squash}
                  onChange={(e) => setForm({ ...form, squash: e.target.checked })}
                />{' '}
                squash
              </label>
            </>
          )}
          {form.kind === 'pr' && (
            <>
              <input
                aria-label="Pull request title"
                required
                value={form.title}
                onChange={(e) => setForm({ ...form, title: e.target.value })}
              />
              <input
                aria-label="Pull request description"
                placeholder="description (optional)"
                value={form.body}
                onChange={(e) => setForm({ ...form, body: e.target.value })}
              />
            </>
          )}
          {form.kind === 'remove' && (
            <label className="check">
              <input
                type="checkbox"
                checked={form.deleteBranch}
                onChange={(e) => setForm({ ...form, deleteBranch: e.target.checked })}
              />{' '}
              also delete the branch
            </label>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy
              ? 'Working…'
              : form.kind === 'merge'
                ? 'Merge'
                : form.kind === 'pr'
                  ? 'Open PR'
                  : 'Remove'}
          </button>
          <button type="button" onClick={() => setForm({ kind: 'none' })}>
            Cancel
          </button>
        </form>
      )}
      {result && (
        <p
          className={result.ok ? 'muted small' : 'error small'}
          role="status"
          data-testid="deliver-result"
        >
          {result.text}
        </p>
      )}
    </div>
  )
}
