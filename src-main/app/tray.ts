// The tray icon: the app lives here when its window is closed. Shows idle / busy / attention.
import { Menu, Tray, nativeImage } from 'electron'
import { join } from 'node:path'

export type TrayState = 'idle' | 'busy' | 'attention'

export interface TrayHandle {
  setState(state: TrayState, tooltip: string): void
  dispose(): void
}

export function createTray(resourcesDir: string, actions: { show(): void; quit(): void }): TrayHandle {
  const icon = (state: TrayState) => nativeImage.createFromPath(join(resourcesDir, `tray-${state}.png`))
  const tray = new Tray(icon('idle'))
  tray.setToolTip('Makima')
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Makima', click: () => actions.show() },
      { type: 'separator' },
      { label: 'Quit', click: () => actions.quit() },
    ]),
  )
  tray.on('click', () => actions.show())
  return {
    setState(state, tooltip) {
      tray.setImage(icon(state))
      tray.setToolTip(tooltip)
    },
    dispose: () => tray.destroy(),
  }
}
