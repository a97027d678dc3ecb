// A core's files are its user's alone (issue 12, item 3): another Unix user (nobody, via setpriv)
// cannot read the database, its WAL and SHM, the logs, the token or the machine id of a running
// core — whether the core created them (0600 from creation, even under a 022 umask) or an older
// version left them readable in a 0755 data directory (tightened at start).
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FileTokenStore } from '../../../../src-main/core/auth/token-store'
import { loadConfig } from '../../../../src-main/core/config/load'
import { openStore } from '../../../../src-main/core/store/db'
import { startCore, type Core } from '../../../../src-main/core/start'
import { TempDirs } from '../../../fixtures/git/repos'
import { asNobody, requireOtherUser } from '../../../fixtures/other-user'

const dirs = new TempDirs()
let core: Core | undefined
let parent: string
let oldUmask = 0

beforeAll(() => {
  requireOtherUser()
  // A parent every user may pass through, as a home directory usually is: only our modes protect.
  parent = dirs.make('makima-private-')
  chmodSync(parent, 0o755)
  oldUmask = process.umask(0o022)
})
afterEach(async () => {
  await core?.stop()
  core = undefined
})
afterAll(() => {
  process.umask(oldUmask)
  dirs.cleanup()
})

async function start(dataDir: string): Promise<Core> {
  const loaded = await loadConfig({
    argv: ['--data-dir', dataDir, '-s', 'ws://127.0.0.1:9/never'],
    env: { MAKIMA_API_KEY: 'mk_private_files_key' }, cwd: parent, home: parent, etcDir: parent,
  })
  if (loaded.kind !== 'config') throw new Error('no config')
  core = await startCore(loaded.config, { mode: 'daemon', stderr: null })
  return core
}

const mode = (p: string) => statSync(p).mode & 0o777

async function expectUnreadableByOthers(paths: string[]): Promise<void> {
  for (const p of paths) {
    expect(existsSync(p), p).toBe(true)
    const r = await asNobody(['cat', p])
    expect(r.code, `nobody read ${p}`).not.toBe(0)
    expect(r.stderr, p).toMatch(/Permission denied/)
  }
}

describe('private files', () => {
  it('the check itself works: nobody reads a world-readable file beside the data dir', async () => {
    writeFileSync(join(parent, 'public.txt'), 'public text', { mode: 0o644 })
    chmodSync(join(parent, 'public.txt'), 0o644)
    expect(await asNobody(['cat', join(parent, 'public.txt')])).toMatchObject({ code: 0, stdout: 'public text' })
  })

  it('a new data dir: every file 0600 and directories 0700 from creation, unreadable by another user', async () => {
    const dataDir = join(parent, 'fresh')
    const c = await start(dataDir)
    await new FileTokenStore(dataDir).save('sk-ant-oat01-private-token')
    const db = c.config.localDb.path
    await expect.poll(() => existsSync(join(dataDir, 'machine-id'))).toBe(true)
    c.log.info('a line so the log file has content')
    const files = [db, `${db}-wal`, `${db}-shm`, c.config.log.file, join(dataDir, 'claude-oauth-token'), join(dataDir, 'machine-id'), join(dataDir, 'core.lock'), join(dataDir, 'core.pid')]
    for (const f of files) expect([f, mode(f).toString(8)]).toEqual([f, '600'])
    for (const d of [dataDir, join(dataDir, 'logs')]) expect([d, mode(d).toString(8)]).toEqual([d, '700'])
    await expectUnreadableByOthers(files)
  })

  it('files an older version left readable in a 0755 data dir are tightened at start', async () => {
    const dataDir = join(parent, 'old')
    mkdirSync(join(dataDir, 'logs'), { recursive: true })
    const db = join(dataDir, 'daemon.db')
    ;(await openStore({ path: db })).close()
    writeFileSync(join(dataDir, 'logs', 'daemon.log'), '{"msg":"old line"}\n')
    writeFileSync(join(dataDir, 'logs', 'daemon.log.1'), '{"msg":"older line"}\n')
    writeFileSync(join(dataDir, 'claude-oauth-token'), 'sk-ant-oat01-old-token\n')
    writeFileSync(join(dataDir, 'machine-id'), '2f0e9a6c-0d8e-4a3b-9a57-3f6c2e1d0b4a\n')
    const old = [db, join(dataDir, 'logs', 'daemon.log'), join(dataDir, 'logs', 'daemon.log.1'), join(dataDir, 'claude-oauth-token'), join(dataDir, 'machine-id')]
    for (const p of [dataDir, join(dataDir, 'logs')]) chmodSync(p, 0o755)
    for (const p of old) chmodSync(p, 0o644)
    expect((await asNobody(['cat', join(dataDir, 'logs', 'daemon.log')])).code).toBe(0) // readable before

    await start(dataDir)
    for (const f of [...old, `${db}-wal`, `${db}-shm`]) expect([f, mode(f).toString(8)]).toEqual([f, '600'])
    for (const d of [dataDir, join(dataDir, 'logs')]) expect([d, mode(d).toString(8)]).toEqual([d, '700'])
    await expectUnreadableByOthers([...old, `${db}-wal`, `${db}-shm`])
  })
})
