// The headless entry as a user runs it: a real process, real signals, a real data dir.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCore } from '../../src-main/core/start'
import { appConfig } from '../fixtures/browser/app'
import { daemonCommand, DAEMON_KINDS, startDaemon as start, type DaemonKind, type DaemonRun } from '../fixtures/built-daemon'
import { taskRecord } from '../fixtures/store/task-record'

const runs: DaemonRun[] = []
// Builds out/ when stale, outside the tests' own timeouts.
beforeAll(() => daemonCommand('built'), 120_000)
afterAll(async () => {
  for (const r of runs) await r.stop()
})

async function startDaemon(kind: DaemonKind, args: string[], env: Record<string, string> = {}, cwd?: string): Promise<DaemonRun> {
  const run = await start({ kind, args, env, cwd })
  runs.push(run)
  return run
}

// The same stories from the TypeScript source (tsx) and from the built bundle (out/main/daemon.js).
describe.each(DAEMON_KINDS)('the daemon (%s)', (kind) => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints one ready line with its data paths and exits 0 on %s', async (signal) => {
    const data = await mkdtemp(join(tmpdir(), 'makima-daemon-'))
    const run = await startDaemon(kind, ['--data-dir', data, '--web-port', '0'])
    const line = await run.waitForLine(/ready/)
    expect(line).toContain(`data ${data}`)
    expect(line).toContain(`db ${join(data, 'daemon.db')}`)
    expect(line).toContain(`worktrees ${join(data, 'worktrees')}`)
    expect(line).toMatch(/web (off|http:\/\/127\.0\.0\.1:\d+)/)
    expect(existsSync(join(data, 'daemon.db'))).toBe(true)
    run.child.kill(signal)
    expect(await run.exit).toEqual({ code: 0, signal: null })
    expect(run.stdout().split('\n').filter((l) => l.includes('ready'))).toHaveLength(1)
  })

  it('stops start-up on a bad value with one clear line, exit 2, nothing started', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-daemon-'))
    const run = await startDaemon(kind, ['--data-dir', data], { MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS: 'many' })
    expect((await run.exit).code).toBe(2)
    expect(run.stderr().trim()).toBe(
      'config error: process.max_concurrent_tasks (from environment variable MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS): got "many", expected an integer from 1 to 1000',
    )
    expect(run.stdout()).toBe('')
    expect(existsSync(join(data, 'daemon.db'))).toBe(false)
  })

  it('reports a bad config file and an unknown flag the same way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'makima-daemon-'))
    await writeFile(join(dir, 'makima-daemon.toml'), '[server]\nurl = "http://not-a-websocket"\n')
    const run = await startDaemon(kind, ['--data-dir', join(dir, 'data')], {}, dir)
    expect((await run.exit).code).toBe(2)
    expect(run.stderr()).toContain(`server.url (from config file ${join(dir, 'makima-daemon.toml')})`)
    const run2 = await startDaemon(kind, ['--frobnicate'])
    expect((await run2.exit).code).toBe(2)
    expect(run2.stderr()).toContain("Unknown option '--frobnicate'")
  })

  it('reports a corrupt database plainly and leaves it in place', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-daemon-'))
    await writeFile(join(data, 'daemon.db'), Buffer.alloc(4096, 7))
    const run = await startDaemon(kind, ['--data-dir', data])
    expect((await run.exit).code).toBe(1)
    expect(run.stderr()).toContain('store error (corrupt)')
    expect(existsSync(join(data, 'daemon.db'))).toBe(true)
  })

  it('refuses an empty (truncated) database file instead of starting with no tasks, and keeps it', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-daemon-'))
    await writeFile(join(data, 'daemon.db'), '')
    const run = await startDaemon(kind, ['--data-dir', data])
    expect((await run.exit).code).toBe(1)
    expect(run.stderr().trim()).toBe(
      `store error (empty): The database ${join(data, 'daemon.db')} is an empty file (0 bytes): it was probably truncated (a full disk or an interrupted copy), so every task it held is missing. It was left untouched. Restore it from a backup, or delete it to start with an empty store.`,
    )
    expect(statSync(join(data, 'daemon.db')).size).toBe(0)
  })

  it('a page damaged deep inside the database: one line naming the file and what to do, file unchanged', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-daemon-'))
    const cfg = await appConfig(data)
    const core = await startCore(cfg, { mode: 'daemon', stderr: null })
    core.store.db.transaction(() => {
      for (let i = 0; i < 400; i++) core.tasks.save(taskRecord(`t-${i}`, { plan: 'p'.repeat(500) }))
    })()
    await core.stop()
    const file = join(data, 'daemon.db')
    const bytes = readFileSync(file)
    const pageSize = bytes.readUInt16BE(16)
    // The tasks were written last: damage the last pages (the header and schema stay readable).
    for (let p = bytes.length / pageSize - 20; p < bytes.length / pageSize; p++) bytes.fill(0x5a, p * pageSize, (p + 1) * pageSize)
    writeFileSync(file, bytes)
    const run = await startDaemon(kind, ['--data-dir', data])
    expect((await run.exit).code).toBe(1)
    expect(run.stderr()).toMatch(new RegExp(`^store error \\(corrupt\\): The database ${file} is damaged .* It was left untouched; move it aside to start fresh, or restore it from a backup\\.\\n$`))
    expect(readFileSync(file).equals(bytes)).toBe(true)
  }, 60_000)
})
