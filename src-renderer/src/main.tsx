import { StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { useAttention } from './features/attention/useAttention'
import { Sidebar } from './features/layout/Sidebar'
import { Toasts } from './features/notices/Toasts'
import { CommandPalette } from './features/palette/CommandPalette'
import { ShortcutHelp } from './features/palette/ShortcutHelp'
import { matchShortcut, typingIn, type ShortcutId } from './features/palette/shortcuts'
import { LoginBanner } from './features/auth/LoginBanner'
import { QuestionsPanel } from './features/questions/QuestionsPanel'
import { RecoveryBanner } from './features/recovery/RecoveryBanner'
import { SettingsDialog } from './features/settings/SettingsDialog'
import { applyTheme, cachedTheme } from './features/settings/theme'
import { StatusBar } from './features/status/StatusBar'
import { NewTaskDialog } from './features/tasks/NewTaskDialog'
import { archiveShown } from './features/tasks/lifecycle'
import { stepTask, TaskList } from './features/tasks/TaskList'
import { TaskView } from './features/tasks/TaskView'
import { getBridge } from './bridge'
import { subscribeToEvents, useAppStore } from './store/app-store'
import './styles.css'

function Main({ creating, setCreating }: { creating: boolean; setCreating(v: boolean): void }): React.JSX.Element {
  const load = useAppStore((s) => s.load)
  const selected = useAppStore((s) => s.selectedTaskId)

  switch (load.kind) {
    case 'loading':
      return <p className="muted pad">Connecting to the Makima core…</p>
    case 'error':
      return (
        <p role="alert" className="error pad">
          {load.message}
        </p>
      )
    case 'ready':
      return (
        <div className="layout">
          <Sidebar>
            <TaskList onNew={() => setCreating(true)} />
          </Sidebar>
          <main className="main">
            {selected ? (
              <TaskView key={selected} taskId={selected} />
            ) : (
              <div className="welcome">
                <h1>Makima</h1>
                <p className="muted">Hand work to agents. Each one gets its own git worktree, so they never step on each other — or on you.</p>
                <button className="primary" onClick={() => setCreating(true)}>
                  Start a task
                </button>
              </div>
            )}
          </main>
          <QuestionsPanel />
          {creating && <NewTaskDialog onClose={() => setCreating(false)} />}
        </div>
      )
  }
}

/** Puts the cursor in the task list's search box (when the list is shown). */
function findTask(): void {
  document.querySelector<HTMLInputElement>('.task-search')?.focus()
}

function App(): React.JSX.Element {
  const [creating, setCreating] = useState(false)
  const [settings, setSettings] = useState(false)
  const [palette, setPalette] = useState(false)
  const [help, setHelp] = useState(false)
  // One action per shortcut (setters are stable, so the key handler is bound once).
  const actions: Record<ShortcutId, () => void> = {
    palette: () => setPalette((p) => !p),
    newTask: () => setCreating(true),
    settings: () => setSettings(true),
    help: () => setHelp(true),
    find: findTask,
    nextTask: () => stepTask(1),
    prevTask: () => stepTask(-1),
    archive: () => void archiveShown(),
  }
  useAttention()
  useEffect(() => {
    const unsubscribe = subscribeToEvents()
    void useAppStore.getState().hydrate()
    // The saved theme (painted from the browser's copy first, then the core's answer).
    applyTheme(cachedTheme())
    void getBridge()
      .getSettings()
      .then((r) => r.ok && applyTheme(r.value.theme))
    const offSettings = getBridge().on('settingsChanged', (s) => applyTheme(s.theme))
    return () => {
      unsubscribe()
      offSettings()
    }
  }, [])
  useEffect(() => {
    // The shortcuts of shortcuts.ts (none the browser keeps for itself); Escape closes what is open.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setCreating(false)
        setSettings(false)
        setPalette(false)
        setHelp(false)
        return
      }
      const id = matchShortcut(e, typingIn(e.target))
      if (!id) return
      e.preventDefault()
      actions[id]()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <div className="app">
      <LoginBanner />
      <RecoveryBanner />
      <Main creating={creating} setCreating={setCreating} />
      <Toasts />
      <StatusBar onSettings={() => setSettings(true)} onShortcuts={() => setHelp(true)} />
      {settings && <SettingsDialog onClose={() => setSettings(false)} />}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      {palette && (
        <CommandPalette
          onClose={() => setPalette(false)}
          actions={{ newTask: actions.newTask, openSettings: actions.settings, showShortcuts: actions.help, findTask, stepTask, archiveShown: actions.archive }}
        />
      )}
    </div>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
