// Start an agent: what to do, where (a local repository or a URL), and how it should finish.
import { useEffect, useState } from 'react'
import { AGENT_NAMES, type AgentInfo } from '../../../../src-preload/contract'
import { AGENT_LABELS } from './agent-label'
import { checkRepo, RepoField, type RepoValidity } from './RepoField'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'

export function NewTaskDialog({ onClose }: { onClose(): void }): React.JSX.Element {
  const [name, setName] = useState('')
  const [plan, setPlan] = useState('')
  const [repoUrl, setRepoUrl] = useState('')
  const [repoValidity, setRepoValidity] = useState<RepoValidity>({ kind: 'unchecked' })
  const [baseBranch, setBaseBranch] = useState('')
  const [mode, setMode] = useState<'task' | 'orchestrator' | 'contract'>('task')
  const [contractType, setContractType] = useState<'simple' | 'specification'>('simple')
  const [autonomousLoop, setAutonomousLoop] = useState(false)
  const [completionAction, setCompletionAction] = useState<'none' | 'branch' | 'merge' | 'pr'>(
    'none',
  )
  // '' = the configured default (agent.default).
  const [agent, setAgent] = useState<string>('')
  // The built-in agents until the core lists the configured ones (custom agents included).
  const [agents, setAgents] = useState<AgentInfo[]>(() => AGENT_NAMES.map((n) => ({ name: n, label: AGENT_LABELS[n], dialect: n, custom: false })))
  useEffect(() => {
    let live = true
    void getBridge()
      .listAgents()
      .then((r) => live && r.ok && setAgents(r.value.agents.map((a) => (a.custom ? a : { ...a, label: AGENT_LABELS[a.dialect] }))))
    return () => {
      live = false
    }
  }, [])
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    // The repository is checked before anything is created: a typo is said inline, no task is made.
    const repo = repoValidity.kind === 'ok' ? repoValidity : await checkRepo(repoUrl)
    setRepoValidity(repo)
    if (repo.kind === 'invalid') return setBusy(false)
    if (mode === 'contract') {
      // A contract gets a supervisor: it plans, spawns subtasks, merges them and asks you when unsure.
      const c = await getBridge().createContract({
        name: name.trim(),
        goal: plan,
        type: contractType,
        repoUrl: repoUrl.trim(),
        targetBranch: baseBranch.trim() || undefined,
      })
      setBusy(false)
      if (!c.ok) return setError(c.message)
      useAppStore.getState().select(c.value.supervisorTaskId)
      return onClose()
    }
    const r = await getBridge().createTask({
      name: name.trim(),
      plan,
      repoUrl: repoUrl.trim() || undefined,
      baseBranch: baseBranch.trim() || undefined,
      mode,
      autonomousLoop,
      completionAction,
      ...(agent ? { agent } : {}),
    })
    setBusy(false)
    if (!r.ok) return setError(r.message)
    useAppStore.getState().select(r.value.taskId)
    onClose()
  }

  return (
    <div
      className="modal-backdrop"
      role="presentation"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="new-task-title"
        onSubmit={(e) => void submit(e)}
      >
        <h2 id="new-task-title">New task</h2>
        <label>
          Name
          <input
            autoFocus
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Add rate limiting to the API"
          />
        </label>
        <label>
          Plan
          <textarea
            required
            rows={7}
            value={plan}
            onChange={(e) => setPlan(e.target.value)}
            placeholder="What should the agent do? Be as specific as you would be with a colleague."
          />
        </label>
        <div className="row row-top">
          <RepoField value={repoUrl} onChange={setRepoUrl} validity={repoValidity} onValidity={setRepoValidity} />
          <label>
            Base branch
            <input
              value={baseBranch}
              onChange={(e) => setBaseBranch(e.target.value)}
              placeholder="default"
            />
          </label>
        </div>
        <div className="row">
          <label>
            Mode
            <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
              <option value="task">Single agent</option>
              <option value="orchestrator">Orchestrator (splits work into subtasks)</option>
              <option value="contract">Contract with a supervisor (plans, merges, asks you)</option>
            </select>
          </label>
          {mode === 'contract' && (
            <label>
              Contract
              <select
                value={contractType}
                onChange={(e) => setContractType(e.target.value as typeof contractType)}
              >
                <option value="simple">Simple: plan → execute</option>
                <option value="specification">
                  Specification: research → specify → plan → execute → review
                </option>
              </select>
            </label>
          )}
          {mode !== 'contract' && (
            <label>
              Agent
              <select value={agent} onChange={(e) => setAgent(e.target.value)} data-testid="agent-picker">
                <option value="">Default (from settings)</option>
                {agents.map((a) => (
                  <option key={a.name} value={a.name}>
                    {a.custom ? `${a.label} (${AGENT_LABELS[a.dialect]} dialect)` : a.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {mode !== 'contract' && (
            <label>
              When done
              <select
                value={completionAction}
                onChange={(e) => setCompletionAction(e.target.value as typeof completionAction)}
              >
                <option value="none">Keep the worktree</option>
                <option value="branch">Push a branch</option>
                <option value="merge">Merge into the target</option>
                <option value="pr">Open a pull request</option>
              </select>
            </label>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={autonomousLoop}
              onChange={(e) => setAutonomousLoop(e.target.checked)}
            />
            Keep going until the completion gate says done
          </label>
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            disabled={
              busy || !name.trim() || !plan.trim() || (mode === 'contract' && !repoUrl.trim()) || repoValidity.kind === 'invalid'
            }
          >
            {busy ? 'Starting…' : 'Start agent'}
          </button>
        </div>
      </form>
    </div>
  )
}
