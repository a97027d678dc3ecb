// One task: what it is, live output, its diff, merges, and a composer to steer the agent.
import { useState } from 'react'
import { TERMINAL_STATES } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'
import { forGui } from '../auth/gui-words'
import { MergePanel } from '../merge/MergePanel'
import { OutputView } from '../output/OutputView'
import { TerminalPanel } from '../terminal/TerminalPanel'
import { ContractBar } from './ContractBar'
import { ContractPanel } from './ContractPanel'
import { DeliverBar } from './DeliverBar'
import { DiffView } from './DiffView'
import { LifecycleActions } from './lifecycle'
import { AgentTag } from './agent-label'
import { MergedBadge, StateBadge } from './state-badge'

type Tab = 'output' | 'diff' | 'merge' | 'terminal' | 'contract'

const TAB_LABEL: Record<Tab, string> = { output: 'Output', contract: 'Contract', diff: 'Changes', merge: 'Merge', terminal: 'Terminal' }

export function TaskView({ taskId }: { taskId: string }): React.JSX.Element {
  const task = useAppStore((s) => s.tasks[taskId])
  const notify = useAppStore((s) => s.notify)
  const [tab, setTab] = useState<Tab>('output')
  // The shell lives from the first visit to the Terminal tab until the task view goes away.
  const [terminalOpened, setTerminalOpened] = useState(false)
  const [message, setMessage] = useState('')
  if (!task) return <p className="muted pad">This task no longer exists.</p>
  const ended = TERMINAL_STATES.includes(task.state)

  const act = async (what: 'pauseTask' | 'resumeTask' | 'interruptTask') => {
    const r = await getBridge()[what]({ taskId })
    if (!r.ok) notify('error', r.message)
  }

  const send = async () => {
    const text = message.trim()
    if (!text) return
    const r = await getBridge().sendMessage({ taskId, message: text })
    if (!r.ok) return notify('error', r.message)
    setMessage('')
  }

  return (
    <section className="task-view" aria-label={task.name}>
      <header className="task-head">
        <div className="task-title">
          <h1>{task.name}</h1>
          <AgentTag agent={task.agent} />
          <StateBadge state={task.state} />
          {task.mergedInto && <MergedBadge into={task.mergedInto} />}
        </div>
        <div className="task-meta muted">
          {task.repoUrl && <span className="mono">{task.repoUrl}</span>}
          {task.worktreePath && <span className="mono" title="Worktree">{task.worktreePath}</span>}
        </div>
        {task.contractId && task.isSupervisor && <ContractBar contractId={task.contractId} />}
        {task.errorMessage && <p className="error">{forGui(task.errorMessage)}</p>}
        {ended && <DeliverBar task={task} onConflicts={() => setTab('merge')} />}
        <div className="task-actions">
          <LifecycleActions task={task} />
          {task.state === 'running' && <button onClick={() => void act('pauseTask')}>Pause</button>}
          {task.state === 'paused' && <button onClick={() => void act('resumeTask')}>Resume</button>}
          {!ended && (
            <button className="danger" onClick={() => void act('interruptTask')}>
              Stop
            </button>
          )}
        </div>
        <div className="tabs" role="tablist">
          {(task.contractId && task.isSupervisor ? (['output', 'contract', 'diff', 'merge', 'terminal'] as const) : (['output', 'diff', 'merge', 'terminal'] as const)).map((t) => (
            <button
              key={t}
              role="tab"
              aria-selected={tab === t}
              onClick={() => {
                setTab(t)
                if (t === 'terminal') setTerminalOpened(true)
              }}
            >
              {TAB_LABEL[t]}
            </button>
          ))}
        </div>
      </header>
      <div className="task-body">
        {tab === 'output' && <OutputView taskId={taskId} />}
        {tab === 'diff' && <DiffView taskId={taskId} />}
        {tab === 'merge' && <MergePanel taskId={taskId} />}
        {tab === 'contract' && task.contractId && <ContractPanel contractId={task.contractId} />}
        {terminalOpened && <TerminalPanel taskId={taskId} worktreePath={task.worktreePath} hidden={tab !== 'terminal'} />}
      </div>
      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault()
          void send()
        }}
      >
        <textarea
          rows={2}
          value={message}
          placeholder={ended ? 'Send a message to continue this session…' : 'Steer the agent (Enter to send, Shift+Enter for a new line)'}
          onChange={(e) => setMessage(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault()
              void send()
            }
          }}
          aria-label="Message to the agent"
        />
        <button type="submit" className="primary" disabled={!message.trim()}>
          Send
        </button>
      </form>
    </section>
  )
}
