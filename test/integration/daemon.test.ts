// The headless entry as a user runs it: a real process, real signals, a real data dir.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startCore } from '../../src-main/core/start'
import { appConfig } from '../fixtures/browser/app'
import { taskRecord } from '../fixtures/store/task-record'

const root = resolve(__dirname, '../..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const entry = join(root, 'src-main', 'daemon.ts')

interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function startDaemon(args: string[], env: Record<string, string> = {}, cwd?: string): Run {
  const child = spawn(tsx, [entry, ...args], {
    cwd: cwd ?? root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })))
  return { child, stdout: () => out, stderr: () => err, exit }
}

function waitForLine(run: Run, pattern: RegExp): Promise<string> {
  return new Promise((resolveLine, reject) => {
    const check = () => {
      const m = run.stdout().split('\n').find((l) => pattern.test(l))
      if (m) {
        run.child.stdout!.off('data', check)
        resolveLine(m)
      }
    }
    run.child.stdout!.on('data', check)
    void run.exit.then(({ code }) => reject(new Error(`daemon exited (${code}) before printing ${pattern}: ${run.stderr()}`)))
    check()
  })
}

describe('npm run daemon', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints one ready line with its data paths and exits 0 on %s', async (signal) => {
    const data = await mkdtemp(join(tmpdir(), 'makima-daemon-'))
    const run = startDaemon(['--data-dir', data, '--web-port', '0'])
    const line = await waitForLine(run, /ready/)
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
    const run = startDaemon(['--data-dir', data], { MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS: 'many' })
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
    const run = startDaemon(['--data-dir', join(dir, 'data')], {}, dir)
    expect((await run.exit).code).toBe(2)
    expect(run.stderr()).toContain(`server.url (from config file ${join(dir, 'makima-daemon.toml')})`)
    const run2 = startDaemon(['--frobnicate'])
    expect((await run2.exit).code).toBe(2)
    expect(run2.stderr()).toContain("Unknown option '--frobnicate'")
  })

  it('reports a corrupt database plainly and leaves it in place', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-daemon-'))
    await writeFile(join(data, 'daemon.db'), Buffer.alloc(4096, 7))
    const run = startDaemon(['--data-dir', data])
    expect((await run.exit).code).toBe(1)
    expect(run.stderr()).toContain('store error (corrupt)')
    expect(existsSync(join(data, 'daemon.db'))).toBe(true)
  })

  it('refuses an empty (truncated) database file instead of starting with no tasks, and keeps it', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-daemon-'))
    await writeFile(join(data, 'daemon.db'), '')
    const run = startDaemon(['--data-dir', data])
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
    const run = startDaemon(['--data-dir', data])
    expect((await run.exit).code).toBe(1)
    expect(run.stderr()).toMatch(new RegExp(`^store error \\(corrupt\\): The database ${file} is damaged .* It was left untouched; move it aside to start fresh, or restore it from a backup\\.\\n$`))
    expect(readFileSync(file).equals(bytes)).toBe(true)
  }, 60_000)
})
