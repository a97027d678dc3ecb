// electron-builder.yml, loaded and validated by electron-builder itself, checked against a fresh
// build (out/) and against src-main/layout.ts, which must find the same parts at run time.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { bundleLayout } from '../../../src-main/layout'
import { builtApp, REPO_ROOT } from '../../fixtures/built-app'
import { loadConfig, validateConfig, type BuilderConfig } from './builder'

let config: BuilderConfig
let app: Awaited<ReturnType<typeof builtApp>>

beforeAll(async () => {
  app = await builtApp()
  config = await loadConfig()
}, 120_000)

/** A pattern's fixed part: `out/**` → `out`, `node_modules/x/**` → `node_modules/x`. */
const fixedPart = (pattern: string): string => pattern.replace(/^!/, '').replace(/\/?\*\*.*$/, '')

/** `files` as loaded: electron-builder normalises the list to file sets ({ filter: [...] }). */
const filePatterns = (c: BuilderConfig): string[] => (c.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])))

describe('electron-builder.yml', () => {
  it('loads and passes electron-builder’s own schema validation', async () => {
    await expect(validateConfig(structuredClone(config))).resolves.toBeUndefined()
    expect(config).toMatchObject({ appId: expect.stringMatching(/^[a-z0-9.-]+$/), productName: 'Makima', asar: true, npmRebuild: true })
  })

  it('is checked by a validator that can fail', async () => {
    // (The schema coerces scalars, e.g. a number to a string; a wrong kind or an unknown key fails.)
    await expect(validateConfig({ ...structuredClone(config), asar: 'yes' })).rejects.toThrow(/asar/)
    await expect(validateConfig({ ...structuredClone(config), notAnOption: true })).rejects.toThrow(/notAnOption/)
  })

  it('targets AppImage and deb, dmg, nsis, each with an icon', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.mac?.target).toEqual(['dmg'])
    expect(config.win?.target).toEqual(['nsis'])
    for (const os of [config.linux, config.mac, config.win]) expect(os?.icon).toBe('resources/icon.png')
  })

  it('names only paths that exist in a build', () => {
    const named = [
      ...filePatterns(config).filter((p) => !p.startsWith('!')),
      ...(config.asarUnpack ?? []),
      ...(config.extraResources ?? []).map((r) => r.from),
      config.directories?.buildResources ?? 'build',
      ...[config.linux, config.mac, config.win].map((os) => os?.icon ?? ''),
    ].map(fixedPart)
    expect(named.length).toBeGreaterThan(8)
    for (const path of named) expect(existsSync(join(REPO_ROOT, path)), path).toBe(true)
    // Globbed directories are not empty: `out/**` really holds the app.
    expect(readdirSync(join(REPO_ROOT, 'out'))).toEqual(expect.arrayContaining(['main', 'preload', 'renderer']))
    // The app's entry (package.json "main") is among the files.
    const main = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string }).main
    expect(existsSync(join(REPO_ROOT, main))).toBe(true)
    expect(filePatterns(config)).toEqual(expect.arrayContaining(['out/**', 'package.json']))
  })

  it('agrees with src-main/layout.ts: the CLI unpacked, the icons in resources/icons, the native modules unpacked', () => {
    expect(config.asarUnpack).toContain(relative(REPO_ROOT, app.cliScript))
    const resourcesPath = join(REPO_ROOT, 'some-resources')
    const packaged = bundleLayout(join(resourcesPath, 'app.asar', 'out', 'main'), { resourcesPath })
    const icons = (config.extraResources ?? []).find((r) => r.from === relative(REPO_ROOT, app.resourcesDir))
    expect(icons?.to).toBe(relative(resourcesPath, packaged.resourcesDir))
    for (const icon of ['tray-idle.png', 'tray-busy.png', 'tray-attention.png']) expect(existsSync(join(app.resourcesDir, icon)), icon).toBe(true)
    for (const native of ['node-pty', 'better-sqlite3']) expect(config.asarUnpack).toContain(`node_modules/${native}/**`)
  })

  it('is built by `npm run dist` with an exactly pinned electron-builder', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> }
    expect(pkg.scripts.dist).toMatch(/^npm run build && electron-builder\b/)
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/)
  })
})
