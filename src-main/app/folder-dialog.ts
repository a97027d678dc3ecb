// The native folder dialog behind the `pickDirectory` bridge request (New task → Browse…). Only the
// Electron app registers it; the headless core answers `unavailable` and the web UI hides the button.
import type { BrowserWindow, OpenDialogOptions, OpenDialogReturnValue } from 'electron'
import type { PartialHandlers } from '../core/bridge/dispatch'

export interface FolderDialog {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>
}

export function folderDialogHandlers(dialog: FolderDialog, parent: () => BrowserWindow | null): PartialHandlers {
  return {
    pickDirectory: async (p) => {
      const options: OpenDialogOptions = { title: p?.title ?? 'Choose a repository', properties: ['openDirectory', 'dontAddToRecent'] }
      const win = parent()
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return { path: r.canceled ? null : (r.filePaths[0] ?? null) }
    },
  }
}
