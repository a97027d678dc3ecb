import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConfigError, type Config } from '../../../../src-main/core/config/config'
import { loadConfig, type LoadOptions } from '../../../../src-main/core/config/load'

let root: string
let opts: LoadOptions

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'makima-config-'))
  await mkdir(join(root, 'home', '.config', 'makima-daemon'), { recursive: true })
  await mkdir(join(root, 'etc'), { recursive: true })
  await mkdir(join(root, 'cwd'), { recursive: true })
  opts = { argv: [], env: {}, cwd: join(root, 'cwd'), home: join(root, 'home'), etcDir: join(root, 'etc') }
})

async function load(over: Partial<LoadOptions> = {}): Promise<Config> {
  const r = await loadConfig({ ...opts, ...over })
  if (r.kind !== 'config') throw new Error(`expected a config, got ${r.kind}`)
  return r.config
}

async function loadError(over: Partial<LoadOptions>): Promise<ConfigError> {
  const err = await loadConfig({ ...opts, ...over }).then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(ConfigError)
  return err as ConfigError
}

describe('loadConfig', () => {
  it('uses the original defaults', async () => {
    const c = await load({ argv: ['--data-dir', join(root, 'data')] })
    expect(c.process.maxConcurrentTasks).toBe(10)
    expect(c.process.maxTasksPerContract).toBe(10)
    expect(c.process.heartbeatCommitIntervalSecs).toBe(300)
    expect(c.server.heartbeatIntervalSecs).toBe(30)
    expect(c.server.reconnectIntervalSecs).toBe(5)
    expect(c.checkpointPatches).toEqual({ enabled: true, maxSizeBytes: 10 * 1024 * 1024 })
    expect(c.process.claudeCommand).toBe('claude')
    expect(c.server.url).toBeUndefined()
    expect(c.localDb.path).toBe(join(root, 'data', 'daemon.db'))
    expect(c.worktree.baseDir).toBe(join(root, 'data', 'worktrees'))
    expect(c.daemon).toBe(false)
  })

  it('layers defaults < /etc < ~/.config < ./makima-daemon.toml < -c file < env < flags', async () => {
    await writeFile(join(root, 'etc', 'config.toml'), '[process]\nmax_concurrent_tasks = 2\nclaude_command = "etc-claude"\nmax_tasks_per_contract = 7\n')
    await writeFile(join(root, 'home', '.config', 'makima-daemon', 'config.toml'), '[process]\nmax_concurrent_tasks = 3\nclaude_command = "home-claude"\n[server]\nurl = "ws://home:8080"\n')
    await writeFile(join(root, 'cwd', 'makima-daemon.toml'), '[process]\nmax_concurrent_tasks = 4\n[server]\napi_key = "file-key-123456"\n')
    await writeFile(join(root, 'extra.toml'), '[server]\nheartbeat_interval_secs = 12\n')
    const c = await load({
      argv: ['-c', join(root, 'extra.toml'), '-m', '6', '--daemon'],
      env: { MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS: '5', MAKIMA_API_KEY: 'env-key-abcdef', MAKIMA_DAEMON_SERVER_APIKEY: 'losing-key-1234' },
    })
    expect(c.process.maxConcurrentTasks).toBe(6) // flag beats env
    expect(c.server.apiKey).toBe('env-key-abcdef') // env beats file; MAKIMA_API_KEY is preferred
    expect(c.process.claudeCommand).toBe('home-claude') // ~/.config beats /etc
    expect(c.process.maxTasksPerContract).toBe(7) // /etc beats the default
    expect(c.server.url).toBe('ws://home:8080')
    expect(c.server.heartbeatIntervalSecs).toBe(12) // -c file
    expect(c.daemon).toBe(true)
    expect(c.configFiles).toEqual([join(root, 'etc', 'config.toml'), join(root, 'home', '.config', 'makima-daemon', 'config.toml'), join(root, 'cwd', 'makima-daemon.toml'), join(root, 'extra.toml')])
  })

  it('reads the original environment names', async () => {
    const c = await load({
      env: {
        MAKIMA_DAEMON_SERVER_URL: 'wss://api.example.test',
        MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: '/opt/claude',
        MAKIMA_DAEMON_WORKTREE_BASEDIR: '/srv/wt',
        MAKIMA_DAEMON_LOCALDB_PATH: '/srv/db.sqlite',
        MAKIMA_DAEMON_PROCESS_CLAUDEARGS: '["--model", "opus"]',
        MAKIMA_DAEMON_PROCESS_ENABLEPERMISSIONS: 'yes',
      },
    })
    expect(c.server.url).toBe('wss://api.example.test')
    expect(c.process.claudeCommand).toBe('/opt/claude')
    expect(c.worktree.baseDir).toBe('/srv/wt')
    expect(c.localDb.path).toBe('/srv/db.sqlite')
    expect(c.process.claudeArgs).toEqual(['--model', 'opus'])
    expect(c.process.enablePermissions).toBe(true)
  })

  it('reads every original flag', async () => {
    const c = await load({ argv: ['-s', 'ws://localhost:8080', '-k', 'key-from-flag', '-l', 'debug', '--repos-dir', '/r', '--worktrees-dir', '/w'] })
    expect(c.server.url).toBe('ws://localhost:8080')
    expect(c.server.apiKey).toBe('key-from-flag')
    expect(c.log.level).toBe('debug')
    expect(c.worktree.reposDir).toBe('/r')
    expect(c.worktree.baseDir).toBe('/w')
  })

  it('answers --help and --version without building a config', async () => {
    expect((await loadConfig({ ...opts, argv: ['--help'] })).kind).toBe('help')
    expect((await loadConfig({ ...opts, argv: ['-V'] })).kind).toBe('version')
  })

  describe('bad values name the key, the source and what is allowed', () => {
    it('a non-integer from the environment', async () => {
      const e = await loadError({ env: { MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS: 'lots' } })
      expect(e.message).toBe('config error: process.max_concurrent_tasks (from environment variable MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS): got "lots", expected an integer from 1 to 1000')
      expect(e.exitCode).toBe(2)
    })
    it('an out-of-range flag', async () => {
      const e = await loadError({ argv: ['-m', '0'] })
      expect(e.message).toContain('process.max_concurrent_tasks (from flag --max-tasks): got 0, expected an integer from 1 to 1000')
    })
    it('a wrong type in a file', async () => {
      await writeFile(join(root, 'cwd', 'makima-daemon.toml'), '[server]\nheartbeat_interval_secs = "often"\n')
      const e = await loadError({})
      expect(e.message).toContain(`server.heartbeat_interval_secs (from config file ${join(root, 'cwd', 'makima-daemon.toml')}): got "often", expected an integer from 1 to 3600`)
    })
    it('an unknown key in a file', async () => {
      await writeFile(join(root, 'cwd', 'makima-daemon.toml'), '[process]\nmax_concurent_tasks = 3\n')
      const e = await loadError({})
      expect(e.message).toContain('process.max_concurent_tasks')
      expect(e.message).toContain('unknown key')
    })
    it('a file that is not TOML', async () => {
      await writeFile(join(root, 'cwd', 'makima-daemon.toml'), '[process\nmax = ')
      const e = await loadError({})
      expect(e.message).toContain('is not valid TOML')
    })
    it('a missing -c file', async () => {
      const e = await loadError({ argv: ['-c', join(root, 'nope.toml')] })
      expect(e.message).toContain('cannot be read (ENOENT)')
    })
    it('a bad enum and a bad URL', async () => {
      expect((await loadError({ argv: ['-l', 'loud'] })).message).toContain('log.level (from flag --log-level): got "loud", expected one of trace, debug, info, warn, error')
      expect((await loadError({ env: { MAKIMA_DAEMON_SERVER_URL: 'http://x' } })).message).toContain('expected a ws:// or wss:// URL')
    })
    it('an unknown flag', async () => {
      const e = await loadError({ argv: ['--max-taks', '3'] })
      expect(e.message).toContain("Unknown option '--max-taks'")
    })
    it('never echoes a secret value', async () => {
      await writeFile(join(root, 'cwd', 'makima-daemon.toml'), '[server]\napi_key = 12345678\n')
      const e = await loadError({})
      expect(e.message).toContain('server.api_key')
      expect(e.message).not.toContain('12345678')
    })
  })
})
