// One core per data directory: a second holder is refused with the first one's pid, and the lock
// of a core killed with SIGKILL is free again at once (the kernel drops it with the process).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DataDirLockedError, HOLDER_FILE, lockDataDir, readLockHolder } from '../../../../src-main/core/store/data-dir-lock'
import { TempDirs } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
afterAll(() => dirs.cleanup())
const root = resolve(__dirname, '../../../..')

/** Another process holding the lock, as a crashed or running core would. */
function holderProcess(dataDir: string) {
  const code = `import('${join(root, 'src-main/core/store/data-dir-lock.ts')}').then(async (m) => { await (m.lockDataDir ?? m.default.lockDataDir)(process.argv[1], 'daemon'); process.stdout.write('locked\\n'); setInterval(() => {}, 1e9) })`
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code, dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  child.on('error', () => undefined)
  const locked = new Promise<void>((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && res())
    child.on('exit', (c) => rej(new Error(`holder exited ${c}`)))
  })
  const exited = new Promise<void>((r) => child.on('exit', () => r()))
  return { child, locked, exited }
}

describe('the data directory lock', () => {
  it('refuses a second holder in the same process, naming the holder, until the first releases', async () => {
    const data = join(dirs.make('lock-'), 'data')
    const first = await lockDataDir(data, 'electron')
    expect((await stat(data)).mode & 0o777).toBe(0o700)
    expect((await stat(join(data, HOLDER_FILE))).mode & 0o777).toBe(0o600)
    const err = await lockDataDir(data, 'daemon').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DataDirLockedError)
    expect((err as Error).message).toContain(`in use by Makima (pid ${process.pid}, electron,`)
    await first.update({ webUrl: 'http://127.0.0.1:1' })
    expect(await readLockHolder(data)).toMatchObject({ pid: process.pid, webUrl: 'http://127.0.0.1:1' })
    await first.release()
    expect(existsSync(join(data, HOLDER_FILE))).toBe(false)
    const second = await lockDataDir(data, 'daemon')
    await second.release()
  })

  it('is held across processes, and taken over at once after the holder is killed with SIGKILL', async () => {
    const data = dirs.make('lock-')
    const holder = holderProcess(data)
    await holder.locked
    const err = await lockDataDir(data, 'electron').catch((e: unknown) => e)
    expect((err as Error).message).toContain(`pid ${holder.child.pid}, daemon`)
    holder.child.kill('SIGKILL')
    await holder.exited
    // The crashed holder's core.pid is still there; the lock is free anyway and the file is replaced.
    expect(JSON.parse(await readFile(join(data, HOLDER_FILE), 'utf8')).pid).toBe(holder.child.pid)
    const taken = await lockDataDir(data, 'electron')
    expect(await readLockHolder(data)).toMatchObject({ pid: process.pid, mode: 'electron' })
    await taken.release()
  }, 30_000)
})
