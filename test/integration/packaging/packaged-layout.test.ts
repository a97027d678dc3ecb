// A real electron-builder run (`--linux dir`) on a fresh build, offline: Electron's distribution is
// a stand-in directory (it cannot be downloaded here) and native modules are not rebuilt (that
// needs Electron's headers). Then the packaged tree is checked as the app will use it: the archive
// holds the bundles, the CLI and the native modules are unpacked beside it, the icons are in
// resources/icons, and src-main/layout.ts resolves every part from the packaged paths.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundledLauncherSpec, writeLauncher } from '../../../src-main/cli/launcher'
import { bundleLayout, type AppLayout } from '../../../src-main/layout'
import { builtApp } from '../../fixtures/built-app'
import { asar, fakeElectronDist, killBuilders, runBuilder } from './builder'

let work: string
let resources: string
let archive: string
let entries: Set<string>

beforeAll(async () => {
  await builtApp()
  work = await mkdtemp(join(tmpdir(), 'makima-package-'))
  const electronDist = await fakeElectronDist(join(work, 'electron-dist'))
  const output = join(work, 'dist')
  const run = await runBuilder([
    '--linux', 'dir', '--config', 'electron-builder.yml', '--publish', 'never',
    `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${output}`,
  ])
  if (run.code !== 0) throw new Error(`electron-builder exited ${run.code}:\n${run.output}`)
  const unpacked = readdirSync(output).find((d) => /^linux(-\w+)?-unpacked$/.test(d))
  if (!unpacked) throw new Error(`no linux-unpacked directory in ${output}: ${readdirSync(output).join(', ')}`)
  resources = join(output, unpacked, 'resources')
  archive = join(resources, 'app.asar')
  entries = new Set(asar().listPackage(archive, { isPack: false }).map((p) => p.replace(/^[\\/]/, '').split('\\').join('/')))
}, 180_000)

afterAll(async () => {
  killBuilders()
  if (work) await rm(work, { recursive: true, force: true })
})

/** The layout the Electron entry computes when packaged: __dirname is out/main inside app.asar. */
const packagedLayout = (): AppLayout => bundleLayout(join(archive, 'out', 'main'), { resourcesPath: resources })
const inArchive = (path: string): string => relative(archive, path).split('\\').join('/')

describe('the packaged app (electron-builder --dir)', () => {
  it('holds the three bundles and package.json in resources/app.asar, without sources or maps', () => {
    for (const f of ['package.json', 'out/main/index.js', 'out/main/daemon.js', 'out/preload/index.js', 'out/renderer/index.html']) expect(entries.has(f), f).toBe(true)
    const pkg = JSON.parse(asar().extractFile(archive, 'package.json').toString()) as { main: string }
    expect(entries.has(pkg.main)).toBe(true)
    const stray = [...entries].filter((p) => p.startsWith('src-') || p.startsWith('test/') || (p.startsWith('out/') && p.endsWith('.map')) || p.startsWith('node_modules/electron/'))
    expect(stray).toEqual([])
    // The main process's runtime dependencies come along (electron-vite leaves them external).
    for (const dep of ['ws', 'zod', 'simple-git', 'smol-toml']) expect(entries.has(`node_modules/${dep}/package.json`), dep).toBe(true)
  })

  it('unpacks the in-task CLI, which runs under plain Node', async () => {
    const cli = join(`${archive}.unpacked`, 'out', 'main', 'makima.js')
    expect(existsSync(cli)).toBe(true)
    const r = await promisify(execFile)(process.execPath, [cli, '--help'])
    expect(r.stdout).toContain('makima supervisor spawn')
  })

  it('unpacks the native modules (their binaries cannot load from an archive)', () => {
    const unpacked = `${archive}.unpacked`
    expect(existsSync(join(unpacked, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true)
    expect(readdirSync(join(unpacked, 'node_modules', 'node-pty')).length).toBeGreaterThan(0)
    expect(entries.has('node_modules/better-sqlite3/package.json')).toBe(true) // still listed in the archive
  })

  it('puts the app and tray icons in resources/icons', () => {
    for (const icon of ['icon.png', 'tray-idle.png', 'tray-busy.png', 'tray-attention.png']) expect(existsSync(join(resources, 'icons', icon)), icon).toBe(true)
  })

  it('is found by src-main/layout.ts from the packaged paths, and the launcher runs the packaged CLI', async () => {
    const layout = packagedLayout()
    expect(existsSync(layout.cliScript), layout.cliScript).toBe(true) // a real file: outsideAsar
    expect(existsSync(join(layout.resourcesDir, 'tray-idle.png'))).toBe(true)
    expect(entries.has(inArchive(join(layout.rendererDir, 'index.html')))).toBe(true)
    expect(entries.has(inArchive(layout.preloadPath))).toBe(true)
    expect(entries.has(inArchive(join(layout.mainDir, 'index.js')))).toBe(true)

    const launcher = await writeLauncher(bundledLauncherSpec(join(work, 'bin'), layout.cliScript))
    // Without a task's environment the CLI answers with its own usage error: it ran.
    const r = await promisify(execFile)(launcher, ['supervisor', 'status']).catch((e: { code: number; stderr: string }) => e)
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('MAKIMA_API_URL and MAKIMA_API_KEY must be set') })
  })
})
