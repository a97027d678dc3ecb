// Another Unix user on the same machine (CI runs as root: the probe drops to `nobody`) can neither
// read the web UI's token nor drive the bridge of a running core.
import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCore, type Core } from '../../../../src-main/core/start'
import { WEB_TOKEN_FILE } from '../../../../src-main/core/web/auth'
import { appConfig } from '../../../fixtures/browser/app'
import { probeEnv, writeProbe } from '../../../fixtures/bridge-probe'
import { TempDirs } from '../../../fixtures/git/repos'
import { asNobody, requireOtherUser } from '../../../fixtures/other-user'

const dirs = new TempDirs()
let core: Core

beforeAll(async () => {
  requireOtherUser()
  const data = dirs.make('makima-other-user-')
  const renderer = join(data, '..', `${data.split('/').pop()}-renderer`)
  mkdirSync(renderer)
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>')
  core = await startCore(await appConfig(data, { MAKIMA_DAEMON_WEB_PORT: '0' }), { mode: 'daemon', stderr: null, rendererDir: renderer })
})
afterAll(async () => {
  await core?.stop()
  dirs.cleanup()
})

describe('another user on the machine', () => {
  it('cannot read the token or drive the bridge', async () => {
    const scripts = dirs.make('makima-probe-')
    chmodSync(scripts, 0o755) // the probe itself is readable by everyone; only the core's files are not
    const probe = writeProbe(scripts)
    chmodSync(probe, 0o644)
    // nobody may not be able to read this checkout (a clone under a 0700 temp dir): give the probe its own copy of ws.
    cpSync(dirname(require.resolve('ws/package.json')), join(scripts, 'ws'), { recursive: true })
    execFileSync('chmod', ['-R', 'a+rX', join(scripts, 'ws')])
    const env = { ...probeEnv({ tokenFile: join(core.config.dataDir, WEB_TOKEN_FILE), webUrl: core.web!.url, taskId: 'x' }), PROBE_WS: join(scripts, 'ws') }
    // The same probe run as the core's own user gets through (the test can fail).
    const own = await promisify(execFile)(process.execPath, [probe], { env: { ...env, PATH: process.env.PATH } })
    expect(own.stdout).toContain('bridge: {')
    const other = (await asNobody(['/usr/bin/env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, probe])).stdout
    expect(other).toContain('token: EACCES')
    expect(other).toContain('bridge: refused 401')
  })
})
