// Makima stops while an agent is working (the core shuts down with the task still running); on the
// next start the app offers the task, and Resume continues it with the REAL Claude CLI until done.
import { afterAll, describe, expect, it } from 'vitest'
import { startCore, type Core } from '../../../src-main/core/start'
import { appConfig, startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { hang, startModelServer, text, type ModelServer } from '../../fixtures/model-server'

const dirs = new TempDirs()
const ENV = { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }
let first: Core | undefined
let app: App | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined

afterAll(async () => {
  await app?.close()
  await first?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

describe.runIf(hasChromium && claudeAvailable())('resuming after a restart', () => {
  it('offers the interrupted task and resumes it to completion', async () => {
    let turn = 0
    // Before the restart the model never answers (the agent is mid-turn); afterwards it finishes.
    model = await startModelServer({ respond: () => (turn++ === 0 ? hang() : text('Picked up where I left off. Done.')) })
    env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
    const dataDir = dirs.make('makima-e2e-')
    const repo = makeRepo(dirs)

    first = await startCore(await appConfig(dataDir, ENV), { mode: 'daemon', stderr: null, agentEnv: env.env })
    const created = await first.dispatch('createTask', { name: 'Long job', plan: 'Work for a while.', repoUrl: repo }, { trusted: true, label: 'test' })
    const taskId = (created as { ok: true; value: { taskId: string } }).value.taskId
    await expect.poll(() => model!.conversationRequests().length, { timeout: 60_000 }).toBe(1)
    expect(first.tasks.get(taskId)?.state).toBe('running')
    await first.stop() // like quitting the app (or a crash): the record still says running
    first = undefined

    app = await startApp({ dataDir, env: ENV, core: { agentEnv: env.env } })
    const { core: second, page } = app

    const banner = page.locator('[data-testid="recovery-banner"]')
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain('Long job')
    await banner.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => second.tasks.get(taskId)?.state, { timeout: 90_000 }).toBe('completed')
    await page.locator(`[data-task-id="${taskId}"]`).click()
    await expect.poll(() => page.locator('[data-testid="output"]').textContent(), { timeout: 15_000 }).toContain('Picked up where I left off. Done.')
  }, 240_000)
})
