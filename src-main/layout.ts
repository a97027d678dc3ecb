// Where the built app's parts are, from the directory of the running entry bundle (out/main).
// The same rules hold for `out/` in a checkout and for a packaged app, where out/ sits inside
// resources/app.asar: files a child process must execute (the `makima` CLI) are unpacked next to
// the archive, and icons are copied to resources/icons. Electron-free, so the daemon shares it.
import { join, sep } from 'node:path'

export interface AppLayout {
  /** The directory of the entry bundles (index.js, daemon.js, makima.js). */
  mainDir: string
  /** The in-task CLI, always a real file on disk (never inside an asar archive). */
  cliScript: string
  rendererDir: string
  preloadPath: string
  /** App and tray icons. */
  resourcesDir: string
}

const ASAR = `${sep}app.asar${sep}`

/** A path inside app.asar rewritten to its copy in app.asar.unpacked (see asarUnpack in electron-builder.yml). */
export function outsideAsar(path: string): string {
  return path.includes(ASAR) ? path.replace(ASAR, `${sep}app.asar.unpacked${sep}`) : path
}

/**
 * `mainDir` is the entry bundle's own `__dirname` (never a chunk's: shared code is emitted to
 * out/main/chunks). `resourcesPath` is Electron's process.resourcesPath when packaged.
 */
export function bundleLayout(mainDir: string, packaged?: { resourcesPath: string }): AppLayout {
  return {
    mainDir,
    cliScript: outsideAsar(join(mainDir, 'makima.js')),
    rendererDir: join(mainDir, '..', 'renderer'),
    preloadPath: join(mainDir, '..', 'preload', 'index.js'),
    resourcesDir: packaged ? join(packaged.resourcesPath, 'icons') : join(mainDir, '..', '..', 'resources'),
  }
}

/** True when this module runs from TypeScript source (tsx, vitest) rather than from a bundle. */
export function runningFromSource(filename: string): boolean {
  return filename.endsWith('.ts')
}
