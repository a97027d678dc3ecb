// The suite cannot pass by skipping: with Chromium missing, a vitest run fails with what to
// install; with an explicit opt-out it runs and its summary says what was not proven.
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../../..')

function vitest(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/unit/core/config/flags.test.ts'], {
    cwd: root,
    env: { ...process.env, ...env, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((r, j) => {
    child.on('error', j)
    child.on('exit', (code) => r({ code, out }))
  })
}

describe('tools the suite needs', () => {
  it('a missing Chromium fails the run with the install hint', async () => {
    const r = await vitest({ CHROMIUM_PATH: '/nonexistent/chromium', MAKIMA_TEST_SKIP: '' })
    expect(r.code).not.toBe(0)
    expect(r.out).toContain('chromium is needed by the tests but is missing: install Debian\'s Chromium (apt install chromium)')
  }, 60_000)

  it('an explicit opt-out runs, and the summary says what was skipped', async () => {
    const r = await vitest({ CHROMIUM_PATH: '/nonexistent/chromium', MAKIMA_TEST_SKIP: 'chromium' })
    expect(r.code, r.out).toBe(0)
    expect(r.out).toContain('SKIPPED on request (MAKIMA_TEST_SKIP=chromium): every suite that needs chromium')
  }, 60_000)
})
