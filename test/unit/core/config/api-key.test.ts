// Keys off the command line (issue 12, item 4): --api-key-file / server.api_key_file /
// MAKIMA_API_KEY_FILE read the key from a file, -k still works but warns, and a bad file is one
// clear ConfigError. Also worktree.allowed_roots as TOML array, JSON env array or words.
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { ARGV_KEY_WARNING } from '../../../../src-main/core/config/api-key'
import { ConfigError, type Config } from '../../../../src-main/core/config/config'
import { loadConfig, type LoadOptions } from '../../../../src-main/core/config/load'

let root: string
let opts: LoadOptions
let keyFile: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'makima-key-'))
  for (const d of ['home', 'etc', 'cwd']) await mkdir(join(root, d))
  opts = { argv: ['--data-dir', join(root, 'data')], env: {}, cwd: join(root, 'cwd'), home: join(root, 'home'), etcDir: join(root, 'etc') }
  keyFile = join(root, 'server.key')
  await writeFile(keyFile, '  mk_from_file_123\n\n', { mode: 0o600 })
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

describe('the server API key', () => {
  it('is read from --api-key-file, trimmed, with no warning', async () => {
    const c = await load({ argv: [...opts.argv, '--api-key-file', keyFile] })
    expect(c.server.apiKey).toBe('mk_from_file_123')
    expect(c.warnings).toEqual([])
  })

  it('is read from MAKIMA_API_KEY_FILE and from server.api_key_file in TOML (relative to the working directory)', async () => {
    expect((await load({ env: { MAKIMA_API_KEY_FILE: keyFile } })).server.apiKey).toBe('mk_from_file_123')
    await writeFile(join(root, 'cwd', 'makima-daemon.toml'), '[server]\napi_key_file = "../server.key"\n')
    expect((await load()).server.apiKey).toBe('mk_from_file_123')
  })

  it('from MAKIMA_API_KEY: no warning', async () => {
    const c = await load({ env: { MAKIMA_API_KEY: 'mk_env_key' } })
    expect(c.server.apiKey).toBe('mk_env_key')
    expect(c.warnings).toEqual([])
  })

  it('-k/--api-key still works, with a warning that argv is visible to every user', async () => {
    const c = await load({ argv: [...opts.argv, '-k', 'mk_argv_key'] })
    expect(c.server.apiKey).toBe('mk_argv_key')
    expect(c.warnings).toEqual([ARGV_KEY_WARNING])
    expect(ARGV_KEY_WARNING).not.toContain('mk_argv_key')
  })

  it('the higher layer wins between a key and a key file; both in one layer is an error', async () => {
    expect((await load({ argv: [...opts.argv, '--api-key-file', keyFile], env: { MAKIMA_API_KEY: 'mk_env_key' } })).server.apiKey).toBe('mk_from_file_123')
    expect((await load({ argv: [...opts.argv, '-k', 'mk_argv_key'], env: { MAKIMA_API_KEY_FILE: keyFile } })).server.apiKey).toBe('mk_argv_key')
    const err = await loadError({ env: { MAKIMA_API_KEY: 'mk_env_key', MAKIMA_API_KEY_FILE: keyFile } })
    expect(err.message).toBe(
      'config error: server.api_key_file (from environment variable MAKIMA_API_KEY_FILE): server.api_key is set as well (from environment variable MAKIMA_API_KEY); set only one of them',
    )
  })

  it('an unreadable, missing or empty key file is a clear ConfigError', async () => {
    const missing = join(root, 'nope.key')
    expect((await loadError({ argv: [...opts.argv, '--api-key-file', missing] })).message).toBe(
      `config error: server.api_key_file (from flag --api-key-file): ${missing} cannot be read (ENOENT)`,
    )
    expect((await loadError({ argv: [...opts.argv, '--api-key-file', root] })).message).toContain(`${root} cannot be read (EISDIR)`)
    const empty = join(root, 'empty.key')
    await writeFile(empty, ' \n')
    expect((await loadError({ env: { MAKIMA_API_KEY_FILE: empty } })).message).toBe(
      `config error: server.api_key_file (from environment variable MAKIMA_API_KEY_FILE): ${empty} is empty; put the API key in it`,
    )
    await writeFile(empty, 'mk_one mk_two\n')
    expect((await loadError({ env: { MAKIMA_API_KEY_FILE: empty } })).message).toContain('holds more than one word')
    expect((await loadError({ argv: [...opts.argv, '--api-key-file', ''] })).message).toContain('expected a non-empty path')
  })

  it('warns when the key file is readable by other users', async () => {
    await chmod(keyFile, 0o644)
    const c = await load({ argv: [...opts.argv, '--api-key-file', keyFile] })
    expect(c.warnings).toEqual([`the API key file ${keyFile} is readable by other users (mode 644); run: chmod 600 ${keyFile}`])
  })
})

describe('worktree.allowed_roots', () => {
  it('defaults to none; takes a TOML array, a JSON array or words from the environment; resolves ~ and relative paths', async () => {
    expect((await load()).worktree.allowedRoots).toEqual([])
    await writeFile(join(root, 'cwd', 'makima-daemon.toml'), '[worktree]\nallowed_roots = ["~/code", "rel", "/srv/repos"]\n')
    expect((await load()).worktree.allowedRoots).toEqual([join(root, 'home', 'code'), join(root, 'cwd', 'rel'), '/srv/repos'])
    expect((await load({ env: { MAKIMA_DAEMON_WORKTREE_ALLOWEDROOTS: '["/a b", "/c"]' } })).worktree.allowedRoots).toEqual(['/a b', '/c'])
    expect((await load({ env: { MAKIMA_DAEMON_WORKTREE_ALLOWEDROOTS: '/a /b' } })).worktree.allowedRoots).toEqual(['/a', '/b'])
  })

  it('a value that is not a list of directories is a clear ConfigError', async () => {
    await writeFile(join(root, 'cwd', 'makima-daemon.toml'), '[worktree]\nallowed_roots = "/srv"\n')
    expect((await loadError({})).message).toBe(`config error: worktree.allowed_roots (from config file ${join(root, 'cwd', 'makima-daemon.toml')}): got "/srv", expected a list of directories`)
  })
})
