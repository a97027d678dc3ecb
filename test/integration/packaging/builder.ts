// electron-builder's own parts, for the packaging tests: its config loader and schema validator,
// its asar reader, and its CLI. Resolved from electron-builder's install (they are its
// dependencies, not ours), so npm's hoisting does not decide whether they are found.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { REPO_ROOT } from '../../fixtures/built-app'

const fromBuilder = createRequire(require.resolve('electron-builder', { paths: [REPO_ROOT] }))
const fromLib = createRequire(fromBuilder.resolve('app-builder-lib'))

/** The parts of electron-builder's Configuration the tests read. */
export interface BuilderConfig {
  appId?: string
  productName?: string
  directories?: { output?: string; buildResources?: string }
  files?: (string | { filter?: string[] })[]
  asar?: boolean
  asarUnpack?: string[]
  extraResources?: { from: string; to: string; filter?: string[] }[]
  npmRebuild?: boolean
  linux?: { target?: string[]; icon?: string }
  mac?: { target?: string[]; icon?: string }
  win?: { target?: string[]; icon?: string }
  [key: string]: unknown
}

interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<BuilderConfig>
  validateConfiguration(config: unknown, logger: unknown): Promise<void>
}
interface DebugLoggerClass {
  new (enabled: boolean): unknown
}

const configModule = (): ConfigModule => fromLib('app-builder-lib/out/util/config/config') as ConfigModule
const DebugLogger = (): DebugLoggerClass => (fromLib('builder-util') as { DebugLogger: DebugLoggerClass }).DebugLogger

/** electron-builder.yml as electron-builder itself loads it (with package.json's metadata merged). */
export function loadConfig(): Promise<BuilderConfig> {
  return configModule().getConfig(REPO_ROOT, join(REPO_ROOT, 'electron-builder.yml'), null)
}

/** electron-builder's schema validation; rejects with its own message. */
export function validateConfig(config: unknown): Promise<void> {
  const Logger = DebugLogger()
  return configModule().validateConfiguration(config, new Logger(false))
}

interface AsarModule {
  listPackage(archive: string, opts: { isPack: boolean }): string[]
  extractFile(archive: string, filename: string): Buffer
}
/** @electron/asar as app-builder-lib uses it. */
export const asar = (): AsarModule => fromLib('@electron/asar') as AsarModule

/**
 * A stand-in for Electron's unpacked Linux distribution (the real one cannot be downloaded here):
 * electron-builder copies it and renames `electron` to the app's executable.
 */
export async function fakeElectronDist(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'electron'), '#!/bin/sh\necho "fake electron"\n')
  await chmod(join(dir, 'electron'), 0o755)
  return dir
}

export interface BuilderRun {
  code: number | null
  output: string
}

const live = new Set<ChildProcess>()

/** Kills builder runs still going (for afterAll, when a test timed out). */
export function killBuilders(): void {
  for (const child of live) child.kill('SIGKILL')
}

/** Runs electron-builder's CLI in the repository with `args`; resolves when it exits. */
export function runBuilder(args: string[], env: Record<string, string> = {}): Promise<BuilderRun> {
  const cli = join(dirname(fromBuilder.resolve('electron-builder/package.json')), 'cli.js')
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    live.add(child)
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', (err) => resolveRun({ code: null, output: `${output}\nspawn error: ${err.message}` }))
    child.on('exit', (code) => {
      live.delete(child)
      resolveRun({ code, output })
    })
  })
}
