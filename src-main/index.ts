// Electron entry. Bundled to out/main/index.js, so __dirname is out/main (inside app.asar when
// packaged): the layout of the app's parts is resolved from here, never from a shared chunk.
import { app } from 'electron'
import { runApp } from './app/main'
import { bundleLayout } from './layout'

// Electron's argv: [executable, app path, ...] in development, [executable, ...] when packaged.
void runApp({
  argv: process.argv.slice(app.isPackaged ? 1 : 2),
  layout: bundleLayout(__dirname, app.isPackaged ? { resourcesPath: process.resourcesPath } : undefined),
})
