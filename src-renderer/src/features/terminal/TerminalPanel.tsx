// The Terminal tab: the task's shells as tabs. Shells live in main with the worktree, so leaving
// the task (or reloading) only detaches their views; they end when the user closes them, when
// their worktree is removed, or with the core. The first visit opens one if there is none. Run
// opens a tab that runs the repository's `.makima/run` (a dev server, the tests) in the worktree.
import { useCallback, useEffect, useState } from 'react'
import { getBridge } from '../../bridge'
import { TerminalView, type ViewStatus } from './TerminalView'
import './terminal.css'

interface Tab {
  terminalId: string
  pid: number
  kind?: 'shell' | 'run'
  status: ViewStatus
}

function statusText(s: ViewStatus): React.ReactNode {
  switch (s.kind) {
    case 'opening':
      return 'starting shell…'
    case 'open':
      return 'shell running'
    case 'exited':
      return `exited (${s.code})`
    case 'failed':
      return <span className="error">{s.message}</span>
  }
}

export function TerminalPanel({ taskId, worktreePath, hidden }: { taskId: string; worktreePath: string | null; hidden: boolean }): React.JSX.Element {
  const [tabs, setTabs] = useState<Tab[]>([])
  const [active, setActive] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)

  const open = useCallback(async (run = false) => {
    const r = await getBridge().openTerminal({ taskId, ...(run ? { run } : {}) })
    if (!r.ok) return setProblem(r.message)
    setProblem(null)
    setTabs((ts) => [...ts, { terminalId: r.value.terminalId, pid: -1, kind: run ? 'run' : 'shell', status: { kind: 'opening' } }])
    setActive(r.value.terminalId)
    const listed = await getBridge().listTerminals({ taskId })
    if (listed.ok) setTabs((ts) => ts.map((t) => ({ ...t, pid: listed.value.find((l) => l.terminalId === t.terminalId)?.pid ?? t.pid })))
  }, [taskId])

  // The shells already open for this task (a task switch or a reload), or a first one.
  useEffect(() => {
    let live = true
    void getBridge().listTerminals({ taskId }).then((r) => {
      if (!live) return
      if (!r.ok) return setProblem(r.message)
      if (r.value.length === 0) return void open()
      setTabs(r.value.map((t) => ({ ...t, status: { kind: 'opening' } })))
      setActive(r.value[0]!.terminalId)
    })
    return () => {
      live = false
    }
  }, [taskId, open])

  const onStatus = useCallback((terminalId: string, status: ViewStatus) => setTabs((ts) => ts.map((t) => (t.terminalId === terminalId ? { ...t, status } : t))), [])
  const close = (tab: Tab) => {
    if (tab.status.kind === 'open' || tab.status.kind === 'opening') void getBridge().closeTerminal({ terminalId: tab.terminalId })
    const rest = tabs.filter((t) => t !== tab)
    setTabs(rest)
    if (active === tab.terminalId) setActive(rest[0]?.terminalId ?? null)
  }
  const current = tabs.find((t) => t.terminalId === active)

  return (
    <div className="terminal-panel" hidden={hidden} data-testid="terminal-panel">
      <div className="terminal-bar muted">
        <div className="terminal-tabs" role="tablist" aria-label="Terminals">
          {tabs.map((t, i) => (
            <span key={t.terminalId} className={`terminal-tab${t.terminalId === active ? ' active' : ''}`} data-pid={t.pid} data-kind={t.kind ?? 'shell'}>
              <button role="tab" aria-selected={t.terminalId === active} onClick={() => setActive(t.terminalId)} title={t.pid > 0 ? `pid ${t.pid}` : undefined}>
                {t.kind === 'run' ? `Run ${i + 1}` : `Shell ${i + 1}`}
              </button>
              <button className="link" aria-label={`Close ${t.kind === 'run' ? 'run' : 'shell'} ${i + 1}`} onClick={() => close(t)}>
                ×
              </button>
            </span>
          ))}
        </div>
        <span className="grow mono" title="Working directory">
          {worktreePath ?? 'no worktree'}
        </span>
        <span data-testid="terminal-status">{problem ? <span className="error">{problem}</span> : current?.kind === 'run' && current.status.kind === 'open' ? 'running .makima/run' : current ? statusText(current.status) : 'no shell open'}</span>
        <button onClick={() => void open(true)} title="Run this repository's .makima/run (a dev server, the tests) in a new tab">
          Run
        </button>
        <button onClick={() => void open()}>New shell</button>
      </div>
      {tabs.map((t) => (
        <TerminalView key={t.terminalId} terminalId={t.terminalId} hidden={hidden || t.terminalId !== active} onStatus={onStatus} />
      ))}
    </div>
  )
}
