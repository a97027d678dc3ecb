// `npm run build` produces the three bundles without the Electron binary; the bundled daemon runs,
// and the `makima` launcher it writes for tasks runs the bundled CLI (not a path inside chunks/).
import { execFile, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtApp } from '../fixtures/built-app'

let app: Awaited<ReturnType<typeof builtApp>>
const dirs: string[] = []
beforeAll(async () => {
  app = await builtApp()
}, 120_000)
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('the built app (out/)', () => {
  it('has out/main (app, daemon, cli), out/preload and out/renderer', () => {
    for (const f of ['main/index.js', 'main/daemon.js', 'main/makima.js', 'preload/index.js', 'renderer/index.html']) {
      expect(existsSync(join(app.outDir, f)), f).toBe(true)
    }
  })

  it('the bundled daemon starts under plain Node, writes a working makima launcher, and stops on SIGTERM', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-built-'))
    dirs.push(data)
    const child = spawn(process.execPath, [app.daemonScript, '--data-dir', data, '--web-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const exit = new Promise<string>((r) => child.on('exit', (code, signal) => r(String(code ?? signal))))
    await new Promise<void>((res, rej) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('ready')) res()
      })
      void exit.then((code) => rej(new Error(`exited ${code}: ${err}`)))
    })
    expect(out).toMatch(/web http:\/\/127\.0\.0\.1:\d+/) // the built renderer is found next to the bundle

    const launcher = join(data, 'bin', 'makima')
    expect(readFileSync(launcher, 'utf8')).toContain(`'${app.cliScript}'`)
    // Without a task's environment the CLI answers with its own usage error: it ran.
    const r = await promisify(execFile)(launcher, ['supervisor', 'status']).catch((e: { code: number; stderr: string }) => e)
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('MAKIMA_API_URL and MAKIMA_API_KEY must be set') })

    child.kill('SIGTERM')
    expect(await exit, err).toBe('0')
  }, 60_000)
})
