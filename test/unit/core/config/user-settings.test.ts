// The app's settings layer, with real files: <data dir>/settings.toml sits above the TOML config
// files and below the environment and flags; changes are checked with the config's own schemas
// (same wording as a config error), refused for keys a flag or the environment sets, written
// atomically, applied at once where the core can, and read back by the next start.
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, type Config } from '../../../../src-main/core/config/config'
import { loadConfig, type LoadOptions } from '../../../../src-main/core/config/load'
import { SETTING_BY_KEY } from '../../../../src-main/core/config/settings'
import { UserSettings } from '../../../../src-main/core/config/user-settings'
import { EDITABLE_SETTINGS } from '../../../../src-preload/contract'

let root: string
let data: string
let opts: LoadOptions

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'makima-user-settings-'))
  data = join(root, 'data')
  await mkdir(join(root, 'cwd'), { recursive: true })
  opts = { argv: ['--data-dir', data], env: {}, cwd: join(root, 'cwd'), home: join(root, 'home'), etcDir: join(root, 'etc') }
})

async function load(over: Partial<LoadOptions> = {}): Promise<Config> {
  const r = await loadConfig({ ...opts, ...over })
  if (r.kind !== 'config') throw new Error(`expected a config, got ${r.kind}`)
  return r.config
}

describe('the app settings layer', () => {
  it('every editable key is a config setting', () => {
    for (const key of EDITABLE_SETTINGS) expect(SETTING_BY_KEY.has(key), key).toBe(true)
  })

  it('saves, applies the live ones at once, and the next start reads them', async () => {
    const config = await load()
    const applied: [string, unknown][] = []
    const user = await UserSettings.open(config, (k, v) => applied.push([k, v]))
    expect(await user.update([
      { key: 'process.max_concurrent_tasks', value: '3' },
      { key: 'ui.theme', value: 'light' },
      { key: 'agent.model', value: 'opus' },
    ])).toEqual({ ok: true })
    expect(applied).toEqual([['process.max_concurrent_tasks', 3], ['ui.theme', 'light']])
    expect(config.process.maxConcurrentTasks).toBe(3)
    const view = Object.fromEntries(user.view().map((e) => [e.key, e]))
    expect(view['process.max_concurrent_tasks']).toMatchObject({ value: 3, locked: false, applies: 'now', pendingRestart: false })
    expect(view['agent.model']).toMatchObject({ value: 'opus', applies: 'restart', pendingRestart: true })
    expect(view['process.max_concurrent_tasks']!.source).toContain('settings.toml')

    const again = await load()
    expect(again.process.maxConcurrentTasks).toBe(3)
    expect(again.ui?.theme).toBe('light')
    expect(again.agents.model).toBe('opus')
    expect(again.sources?.['ui.theme']).toEqual({ kind: 'app', path: join(data, 'settings.toml') })
  })

  it('refuses an invalid value with the config rule, all or nothing', async () => {
    const config = await load()
    const user = await UserSettings.open(config, () => undefined)
    for (const [value, got] of [['0', '"0"'], ['abc', '"abc"'], [5000, '5000']] as const) {
      expect(await user.update([{ key: 'ui.theme', value: 'light' }, { key: 'process.max_concurrent_tasks', value }])).toEqual({
        ok: false,
        message: `process.max_concurrent_tasks: got ${got}, expected an integer from 1 to 1000`,
      })
    }
    expect(await user.update([{ key: 'server.url', value: 'http://not-ws' }])).toMatchObject({ ok: false, message: expect.stringContaining('expected a ws:// or wss:// URL') })
    expect(await user.update([{ key: 'agent.model', value: 'opus; rm -rf /' }])).toMatchObject({ ok: false })
    await expect(readFile(join(data, 'settings.toml'), 'utf8')).rejects.toThrow(/ENOENT/)
    expect(config.ui?.theme).toBe('dark')
  })

  it('locks what a flag or the environment sets, and they still win over a saved value', async () => {
    await mkdir(data, { recursive: true })
    await writeFile(join(data, 'settings.toml'), '[process]\nmax_concurrent_tasks = 4\n[server]\nheartbeat_interval_secs = 20\n')
    const config = await load({ argv: ['--data-dir', data, '--max-tasks', '7'], env: { MAKIMA_DAEMON_SERVER_HEARTBEATINTERVALSECS: '45' } })
    expect(config.process.maxConcurrentTasks).toBe(7)
    expect(config.server.heartbeatIntervalSecs).toBe(45)
    const user = await UserSettings.open(config, () => undefined)
    const view = Object.fromEntries(user.view().map((e) => [e.key, e]))
    expect(view['process.max_concurrent_tasks']).toMatchObject({ value: 7, locked: true, source: 'flag --max-tasks' })
    expect(view['server.heartbeat_interval_secs']).toMatchObject({ value: 45, locked: true, source: 'environment variable MAKIMA_DAEMON_SERVER_HEARTBEATINTERVALSECS' })
    expect(await user.update([{ key: 'process.max_concurrent_tasks', value: 2 }])).toEqual({
      ok: false,
      message: 'process.max_concurrent_tasks is set by flag --max-tasks, which wins over the app; change it there',
    })
    // Saving another key keeps the overridden ones in the file.
    expect(await user.update([{ key: 'ui.theme', value: 'system' }])).toEqual({ ok: true })
    const text = await readFile(join(data, 'settings.toml'), 'utf8')
    expect(text).toContain('max_concurrent_tasks = 4')
    expect(text).toContain('theme = "system"')
  })

  it('a settings file with a key the app does not set stops start-up naming it', async () => {
    await mkdir(data, { recursive: true })
    await writeFile(join(data, 'settings.toml'), '[web]\nport = 1\n')
    const err = await loadConfig(opts).then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).message).toContain(`web.port (from the app's settings (${join(data, 'settings.toml')}))`)
  })
})
