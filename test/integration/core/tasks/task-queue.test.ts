// Tasks from the app queue when every slot is busy: cancelling a queued task, and a queued task
// surviving a restart and starting by itself (real core, real SQLite, real Claude CLI).
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../../src-main/core/config/config'
import { loadConfig } from '../../../../src-main/core/config/load'
import { startCore, type Core } from '../../../../src-main/core/start'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../../fixtures/git/repos'
import { hang, startModelServer, text, type ModelServer } from '../../../fixtures/model-server'

const dirs = new TempDirs()
const cores: Core[] = []
let model: ModelServer | undefined
let env: ClaudeEnv | undefined
const who = { trusted: true, label: 'test' }

afterAll(async () => {
  for (const c of cores) await c.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

async function config(dataDir: string): Promise<Config> {
  const loaded = await loadConfig({ argv: ['--data-dir', dataDir, '-m', '1'], env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }, cwd: dataDir, home: dataDir, etcDir: dataDir })
  if (loaded.kind !== 'config') throw new Error('no config')
  return loaded.config
}

describe.runIf(claudeAvailable())('the task queue', () => {
  it('queues behind a busy slot, cancels a queued task, and starts queued work after a restart', async () => {
    let hold = true
    model = await startModelServer({ respond: () => (hold ? hang() : text('queued task done')) })
    env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
    const cfg = await config(await mkdtemp(join(tmpdir(), 'makima-queue-')))
    const repo = makeRepo(dirs)
    const core = await startCore(cfg, { mode: 'daemon', stderr: null, agentEnv: env.env })
    cores.push(core)
    const create = async (name: string) => {
      const r = await core.dispatch('createTask', { name, plan: name, repoUrl: repo }, who)
      if (!r.ok) throw new Error(r.message)
      return r.value as { taskId: string; queued: boolean }
    }
    const busy = await create('Busy')
    expect(busy.queued).toBe(false)
    await expect.poll(() => model!.conversationRequests().length, { timeout: 60_000 }).toBe(1)
    const cancelMe = await create('Cancel me')
    const later = await create('Later')
    expect([cancelMe.queued, later.queued]).toEqual([true, true])

    expect(await core.dispatch('interruptTask', { taskId: cancelMe.taskId }, who)).toEqual({ ok: true, value: null })
    expect(core.tasks.get(cancelMe.taskId)).toMatchObject({ state: 'interrupted', errorMessage: 'Cancelled before it started' })
    expect(core.tasks.get(later.taskId)?.state).toBe('pending')

    await core.stop()
    cores.pop()
    hold = false
    const again = await startCore(cfg, { mode: 'daemon', stderr: null, agentEnv: env.env })
    cores.push(again)
    // The queued task starts by itself (the busy one is offered for resume, not restarted).
    await expect.poll(() => again.tasks.get(later.taskId)?.state, { timeout: 90_000 }).toBe('completed')
    expect(again.tasks.get(cancelMe.taskId)?.state).toBe('interrupted')
    expect(again.manager.recoverable().map((r) => r.taskId)).toEqual([busy.taskId])
  }, 240_000)
})
