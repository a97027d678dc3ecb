// The command palette (cmdk): every action and every task, found by typing. Opened with Ctrl+K
// (⌘K), which browsers leave to the page — unlike Ctrl+N/T/W. Shortcuts are shown beside their
// commands so the palette also teaches them.
import { Command } from 'cmdk'
import { TERMINAL_STATES } from '../../../../src-preload/contract'
import { useAppStore } from '../../store/app-store'
import { SHORTCUTS, type ShortcutId } from './shortcuts'

export interface PaletteActions {
  newTask(): void
  openSettings(): void
  showShortcuts(): void
  findTask(): void
  stepTask(delta: 1 | -1): void
  archiveShown(): void
}

const Keys = ({ id }: { id: ShortcutId }) => <kbd>{SHORTCUTS[id].keys}</kbd>

export function CommandPalette({ onClose, actions }: { onClose(): void; actions: PaletteActions }): React.JSX.Element {
  const tasks = useAppStore((s) => s.tasks)
  const selected = useAppStore((s) => (s.selectedTaskId ? s.tasks[s.selectedTaskId] : undefined))
  const select = useAppStore((s) => s.select)
  const run = (fn: () => void) => () => {
    onClose()
    fn()
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
              New task <Keys id="newTask" />
            </Command.Item>
            <Command.Item onSelect={run(actions.openSettings)}>
              Settings <Keys id="settings" />
            </Command.Item>
            <Command.Item onSelect={run(actions.showShortcuts)}>
              Keyboard shortcuts <Keys id="help" />
            </Command.Item>
            <Command.Item onSelect={run(actions.findTask)}>
              Find a task <Keys id="find" />
            </Command.Item>
            <Command.Item onSelect={run(() => actions.stepTask(1))}>
              Next task <Keys id="nextTask" />
            </Command.Item>
            <Command.Item onSelect={run(() => actions.stepTask(-1))}>
              Previous task <Keys id="prevTask" />
            </Command.Item>
            {selected && ended && !selected.archivedAt && (
              <Command.Item onSelect={run(actions.archiveShown)}>
                Archive “{selected.name}” <Keys id="archive" />
              </Command.Item>
            )}
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
