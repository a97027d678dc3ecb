// Every keyboard shortcut of the window, in one table: the key handler, the command palette and the
// shortcut help all read it, so what is shown is what works. None collides with the browser's own
// (Chromium keeps Ctrl+N, Ctrl+T, Ctrl+W, Ctrl+Tab and Alt+F; Alt+←/→ are back and forward).

export type ShortcutId = 'palette' | 'newTask' | 'settings' | 'help' | 'find' | 'nextTask' | 'prevTask' | 'archive'

export interface Shortcut {
  id: ShortcutId
  /** As shown to the user. */
  keys: string
  label: string
}

export const SHORTCUTS: Record<ShortcutId, Shortcut> = {
  palette: { id: 'palette', keys: 'Ctrl+K', label: 'Command palette' },
  newTask: { id: 'newTask', keys: 'Alt+N', label: 'New task' },
  settings: { id: 'settings', keys: 'Alt+,', label: 'Settings' },
  help: { id: 'help', keys: 'Ctrl+/', label: 'Keyboard shortcuts' },
  find: { id: 'find', keys: '/', label: 'Find a task' },
  nextTask: { id: 'nextTask', keys: 'Alt+↓', label: 'Next task' },
  prevTask: { id: 'prevTask', keys: 'Alt+↑', label: 'Previous task' },
  archive: { id: 'archive', keys: 'Alt+A', label: 'Archive the shown task (when it has ended)' },
}

/** Keys that work only in one place, listed in the help too. */
export const LOCAL_KEYS: [string, string][] = [
  ['↑ / ↓', 'Task list: move to the previous / next task'],
  ['Enter', 'Task list: open the task and write to its agent'],
  ['Esc', 'Close a dialog, the palette or this help'],
]

interface KeyLike {
  key: string
  code: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

/** Whether the key goes to a field the user types in (then the bare keys like "/" are theirs). */
export function typingIn(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable === true)
}

/** The shortcut a key press means, or null. Ctrl+N still opens New task where the browser lets it through (Electron). */
export function matchShortcut(e: KeyLike, typing: boolean): ShortcutId | null {
  const mod = e.ctrlKey || e.metaKey
  const key = e.key.toLowerCase()
  if (mod && !e.altKey && key === 'k') return 'palette'
  if ((mod && !e.altKey && key === 'n') || (e.altKey && !mod && e.code === 'KeyN')) return 'newTask'
  if (e.altKey && !mod && e.code === 'Comma') return 'settings'
  if (mod && !e.altKey && (e.code === 'Slash' || key === '/')) return 'help'
  if (e.altKey && !mod && e.key === 'ArrowDown') return 'nextTask'
  if (e.altKey && !mod && e.key === 'ArrowUp') return 'prevTask'
  if (e.altKey && !mod && e.code === 'KeyA') return 'archive'
  if (!typing && !mod && !e.altKey) {
    if (e.key === '?') return 'help'
    if (e.key === '/') return 'find'
  }
  return null
}
