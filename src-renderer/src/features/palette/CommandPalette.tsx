// The command palette (cmdk): every action and every task, found by typing. Opened with Ctrl+K
// (⌘K), which browsers leave to the page — unlike Ctrl+N/T/W. Shortcuts are shown beside their
// commands so the palette also teaches them.
import { Command } from 'cmdk'
import { TERMINAL_STATES } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'

export interface PaletteActions {
  newTask(): void
  openSettings(): void
}

/** Keys that do not collide with the browser's own (Chromium keeps Ctrl+N, Ctrl+T, Ctrl+W). */
export const SHORTCUTS = { palette: 'Ctrl+K', newTask: 'Alt+N', settings: 'Alt+,' } as const

export function CommandPalette({ onClose, actions }: { onClose(): void; actions: PaletteActions }): React.JSX.Element {
  const tasks = useAppStore((s) => s.tasks)
  const selected = useAppStore((s) => (s.selectedTaskId ? s.tasks[s.selectedTaskId] : undefined))
  const select = useAppStore((s) => s.select)
  const notify = useAppStore((s) => s.notify)
  const run = (fn: () => void) => () => {
    onClose()
    fn()
  }
  const lifecycle = (what: 'archiveTask' | 'deleteTask', taskId: string) => async () => {
    const r = await getBridge()[what]({ taskId })
    notify(r.ok ? 'info' : 'error', r.ok ? r.value.message : r.message)
  }
  const ended = selected && TERMINAL_STATES.includes(selected.state)

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <Command className="palette" label="Command palette" data-testid="palette">
        <Command.Input autoFocus placeholder="Type a command or a task name…" aria-label="Command" />
        <Command.List>
          <Command.Empty>Nothing matches.</Command.Empty>
          <Command.Group heading="Actions">
            <Command.Item onSelect={run(actions.newTask)}>
              New task <kbd>{SHORTCUTS.newTask}</kbd>
            </Command.Item>
            <Command.Item onSelect={run(actions.openSettings)}>
              Settings <kbd>{SHORTCUTS.settings}</kbd>
            </Command.Item>
            {selected && ended && !selected.archivedAt && <Command.Item onSelect={run(() => void lifecycle('archiveTask', selected.id)())}>Archive “{selected.name}”</Command.Item>}
          </Command.Group>
          <Command.Group heading="Go to task">
            {Object.values(tasks)
              .filter((t) => !t.archivedAt)
              .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
              .map((t) => (
                <Command.Item key={t.id} value={`task ${t.name} ${t.id}`} onSelect={run(() => select(t.id))}>
                  {t.name}
                </Command.Item>
              ))}
          </Command.Group>
        </Command.List>
      </Command>
    </div>
  )
}
