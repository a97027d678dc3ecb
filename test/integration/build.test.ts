// `npm run build` produces the three bundles without the Electron binary; the bundled daemon runs.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')

describe('npm run build', () => {
  it('writes out/main (app, daemon, cli), out/preload and out/renderer', async () => {
    await promisify(execFile)(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } })
    for (const f of ['out/main/index.js', 'out/main/daemon.js', 'out/main/makima.js', 'out/preload/index.js', 'out/renderer/index.html']) {
      expect(existsSync(join(root, f)), f).toBe(true)
    }
  }, 120_000)

  it('the bundled daemon starts under plain Node and stops on SIGTERM', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-built-'))
    const child = spawn(process.execPath, [join(root, 'out/main/daemon.js'), '--data-dir', data, '--web-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const exit = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? `signal ${signal}` as unknown as number : null))))
    await new Promise<void>((res, rej) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('ready')) res()
      })
      void exit.then((code) => rej(new Error(`exited ${code}`)))
    })
    expect(out).toMatch(/web http:\/\/127\.0\.0\.1:\d+/) // the built renderer is found next to the bundle
    child.kill('SIGTERM')
    const code = await exit
    expect(code, err).toBe(0)
  }, 60_000)
})
