// A squatted web port (issue 12, item 8): another user can bind the port first and serve a
// look-alike page. The core must start anyway, say that the port is busy, keep the web UI off, and
// still run tasks — never crash (the bridge socket server re-emitted the listen error unhandled).
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../../src-main/core/config/load'
import { startCore, type Core } from '../../../../src-main/core/start'
import { readyLine } from '../../../../src-main/core/ready-line'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../../fixtures/git/repos'
import { startModelServer, text, type ModelServer } from '../../../fixtures/model-server'

const dirs = new TempDirs()
const who = { trusted: true, label: 'test' }
let core: Core | undefined
let squatter: Server | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined

afterAll(async () => {
  await core?.stop()
  await new Promise<void>((r) => (squatter ? squatter.close(() => r()) : r()))
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

describe.runIf(claudeAvailable())('a busy web port', () => {
  it('is reported; the core runs without the web UI and a task still completes', async () => {
    squatter = createServer((s) => s.end('HTTP/1.1 200 OK\r\n\r\nlook-alike login page'))
    const port = await new Promise<number>((r) => squatter!.listen(0, '127.0.0.1', () => r((squatter!.address() as { port: number }).port)))
    model = await startModelServer({ turns: [text('done despite the squatter')] })
    env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
    const dataDir = dirs.make('makima-busy-port-')
    const rendererDir = join(dataDir, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>makima</title>')
    const loaded = await loadConfig({ argv: ['--data-dir', dataDir, '--web-port', String(port)], env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }, cwd: dataDir, home: dataDir, etcDir: dataDir })
    if (loaded.kind !== 'config') throw new Error('no config')
    let stderr = ''
    core = await startCore(loaded.config, { mode: 'daemon', rendererDir, stderr: { write: (l: string) => void (stderr += l) }, agentEnv: env.env })

    expect(core.web).toBeNull()
    expect(readyLine(core, 'test', 'node')).toMatch(/web off/)
    expect(stderr).toContain(`web UI not started: port ${port} on 127.0.0.1 is in use by another process`)

    const created = await core.dispatch('createTask', { name: 'Still works', plan: 'Say done', repoUrl: makeRepo(dirs) }, who)
    if (!created.ok) throw new Error(created.message)
    const { taskId } = created.value as { taskId: string }
    await expect.poll(() => core!.tasks.get(taskId)?.state, { timeout: 120_000, interval: 100 }).toBe('completed')
  }, 180_000)
})
