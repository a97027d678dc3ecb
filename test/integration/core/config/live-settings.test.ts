// Settings changed in the app apply to the running core without a restart (real core, real SQLite,
// the real Claude CLI against a scripted model): raising max tasks starts the task that waited for a
// slot, and a new default agent is the one the next task gets.
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../../src-main/core/config/load'
import { startCore, type Core } from '../../../../src-main/core/start'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../../fixtures/git/repos'
import { hang, startModelServer, type ModelServer } from '../../../fixtures/model-server'

const dirs = new TempDirs()
let core: Core | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined
const who = { trusted: true, label: 'test' }

afterAll(async () => {
  await core?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

describe.runIf(claudeAvailable())('settings applied while running', () => {
  it('a higher max tasks starts the queued task; a new default agent is used by the next task', async () => {
    model = await startModelServer({ respond: () => hang() })
    env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
    const dataDir = dirs.make('makima-live-settings-')
    const loaded = await loadConfig({ argv: ['--data-dir', dataDir], env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }, cwd: dataDir, home: dataDir, etcDir: dataDir })
    if (loaded.kind !== 'config') throw new Error('no config')
    core = await startCore(loaded.config, { mode: 'daemon', stderr: null, agentEnv: env.env })
    const c = core
    const repo = makeRepo(dirs)
    const set = (key: string, value: string) => c.dispatch('updateSettings', { changes: [{ key, value }] }, who)
    const create = async (name: string) => {
      const r = await c.dispatch('createTask', { name, plan: name, repoUrl: repo }, who)
      if (!r.ok) throw new Error(r.message)
      return r.value as { taskId: string; queued: boolean }
    }

    expect(await set('process.max_concurrent_tasks', '1')).toMatchObject({ ok: true })
    expect((await create('First')).queued).toBe(false)
    await expect.poll(() => model!.conversationRequests().length, { timeout: 60_000 }).toBe(1)
    const second = await create('Second')
    expect(second.queued).toBe(true)

    expect(await set('process.max_concurrent_tasks', '2')).toMatchObject({ ok: true })
    await expect.poll(() => model!.conversationRequests().length, { timeout: 60_000 }).toBe(2)
    expect(c.tasks.get(second.taskId)?.state).toBe('running')

    expect(await set('process.max_concurrent_tasks', '3')).toMatchObject({ ok: true })
    expect(await set('agent.default', 'gemini')).toMatchObject({ ok: true })
    const third = await create('Third')
    expect(c.tasks.get(third.taskId)?.agent).toBe('gemini')
  }, 180_000)
})
