// Writes the `makima` launcher: a small executable put first on every task's PATH that runs the
// CLI with Node. Production runs the bundled out/main/makima.js with plain node (or the Electron
// binary as node); tests run src-main/cli/makima.ts from source through tsx. Only our own paths
// go into the script, each single-quoted; user values only ever arrive as "$@".
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface LauncherSpec {
  /** The directory to create the `makima` executable in (the task PATH entry). */
  dir: string
  /** The Node executable (process.execPath; the Electron binary works with ELECTRON_RUN_AS_NODE=1). */
  node: string
  nodeArgs?: string[]
  /** The CLI's entry file. */
  script: string
  /** Fixed environment entries for the CLI (not user values). */
  env?: Record<string, string>
}

/** POSIX single-quoting: safe for any byte string except NUL. */
export function shQuote(s: string): string {
  if (s.includes('\0')) throw new Error('a NUL byte cannot be passed to a shell script')
  return `'${s.replace(/'/g, `'\\''`)}'`
}

export function launcherScript(spec: LauncherSpec): string {
  const env = Object.entries(spec.env ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment name: ${k}`)
    return `${k}=${shQuote(v)} `
  })
  const argv = [spec.node, ...(spec.nodeArgs ?? []), spec.script].map(shQuote).join(' ')
  return `#!/bin/sh\n# The makima CLI for tasks, written by Makima. Arguments pass through unchanged.\n${env.length ? `export ${env.join('').trim()}\n` : ''}exec ${argv} "$@"\n`
}

/** Writes `<dir>/makima` (mode 0755) atomically; returns its path. */
export async function writeLauncher(spec: LauncherSpec): Promise<string> {
  await mkdir(spec.dir, { recursive: true })
  const path = join(spec.dir, 'makima')
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, launcherScript(spec), { mode: 0o755 })
  await chmod(tmp, 0o755)
  await rename(tmp, path)
  return path
}

/** The production launcher: the bundled CLI (AppLayout.cliScript), run by Node or by Electron as Node. */
export function bundledLauncherSpec(dir: string, cliScript: string, opts: { electron?: boolean } = {}): LauncherSpec {
  return {
    dir, node: process.execPath, script: cliScript,
    ...(opts.electron ? { env: { ELECTRON_RUN_AS_NODE: '1' } } : {}),
  }
}

/** Tests and `npm run daemon`: the CLI from source through tsx's loader (absolute, so any cwd works). */
export function sourceLauncherSpec(dir: string, repoRoot: string): LauncherSpec {
  const loader = join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')
  return { dir, node: process.execPath, nodeArgs: ['--import', pathToFileURL(loader).href], script: join(repoRoot, 'src-main', 'cli', 'makima.ts') }
}
