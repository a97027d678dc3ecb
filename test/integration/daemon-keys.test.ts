// Keys off the command line, on the real headless daemon process (tsx src-main/daemon.ts): given by
// file or environment, the server key is in no process's /proc/<pid>/cmdline (which every local
// user can read) and the server still accepts it; given with -k it is there — the scan sees it —
// and the daemon warns. The daemon also runs with a 0077 umask.
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { ARGV_KEY_WARNING } from '../../src-main/core/config/api-key'
import { FakeServer } from '../fixtures/fake-server/server'
import { TempDirs } from '../fixtures/git/repos'

const root = resolve(__dirname, '../..')
const KEY = 'mk_live_never_in_argv_8f3a1c'
const dirs = new TempDirs()
let server: FakeServer | undefined
let child: ChildProcess | undefined

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  child = undefined
  await server?.stop()
  server = undefined
})
afterAll(() => dirs.cleanup())

interface Proc {
  pid: number
  ppid: number
  cmdline: string
}

/** Every live process whose command line mentions `needle`. */
function processesMentioning(needle: string): Proc[] {
  const out: Proc[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (!cmdline.includes(needle)) continue
      const ppid = Number(/^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1])
      out.push({ pid: Number(name), ppid, cmdline })
    } catch {
      // exited meanwhile
    }
  }
  return out
}

async function startDaemon(args: string[], env: Record<string, string>): Promise<{ data: string; stderr: () => string }> {
  server = new FakeServer({ acceptedKeys: [KEY] })
  await server.start()
  const data = dirs.make('makima-daemon-keys-')
  let stdout = ''
  let stderr = ''
  child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'src-main', 'daemon.ts'), '--data-dir', data, '--web-port', '0', '-s', server.url, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: data, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`daemon exited (${code}): ${stderr}`))))
  // The server accepted the key: the daemon has it, from wherever it came.
  await Promise.race([server.waitFor({ type: 'authenticate' }, 30_000), exited])
  await Promise.race([expect.poll(() => stdout, { timeout: 30_000 }).toMatch(/ready/), exited])
  return { data, stderr: () => stderr }
}

/** The daemon itself: the process of the tree with no child in it (tsx may run it as a child). */
function daemonOf(procs: Proc[]): Proc {
  const leaves = procs.filter((p) => !procs.some((q) => q.ppid === p.pid))
  expect(leaves).toHaveLength(1)
  return leaves[0]!
}

describe('the server key and the command line', () => {
  it.each([
    ['a file (--api-key-file)', 'file'],
    ['the environment (MAKIMA_API_KEY)', 'env'],
  ] as const)('given by %s, it is in no process command line', async (_label, how) => {
    const keyFile = join(dirs.make('makima-key-file-'), 'server.key')
    writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 })
    const { data, stderr } = await startDaemon(how === 'file' ? ['--api-key-file', keyFile] : [], how === 'env' ? { MAKIMA_API_KEY: KEY } : {})
    const procs = processesMentioning(data)
    expect(procs.length).toBeGreaterThan(0)
    for (const p of procs) expect(p.cmdline).not.toContain(KEY)
    expect(readFileSync(`/proc/${daemonOf(procs).pid}/status`, 'utf8')).toMatch(/^Umask:\s+0077$/m)
    expect(stderr()).not.toContain('API key was given on the command line')
  }, 90_000)

  it('given with -k it still works, is visible in the command line (the scan sees it), and the daemon warns', async () => {
    const { data, stderr } = await startDaemon(['-k', KEY], {})
    expect(processesMentioning(data).some((p) => p.cmdline.includes(KEY))).toBe(true)
    expect(stderr()).toContain(ARGV_KEY_WARNING)
    expect(stderr()).not.toContain(KEY)
  }, 90_000)
})
