// Makima stops while an agent is working (the core shuts down with the task still running); on the
// next start the app offers the task, and Resume continues it with the REAL Claude CLI until done.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src-main/core/config/config'
import { loadConfig } from '../../../src-main/core/config/load'
import { startCore, type Core } from '../../../src-main/core/start'
import { startWebServer, type WebServer } from '../../../src-main/core/web/server'
import { buildRenderer, hasChromium, launchChromium } from '../../fixtures/browser/chromium'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { hang, startModelServer, text, type ModelServer } from '../../fixtures/model-server'

const dirs = new TempDirs()
let cores: Core[] = []
let web: WebServer | undefined
let browser: Browser | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined

afterAll(async () => {
  await browser?.close()
  await web?.close()
  for (const c of cores) await c.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

async function config(dataDir: string): Promise<Config> {
  const loaded = await loadConfig({ argv: ['--data-dir', dataDir], env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }, cwd: dataDir, home: dataDir, etcDir: dataDir })
  if (loaded.kind !== 'config') throw new Error('no config')
  return loaded.config
}

describe.runIf(hasChromium && claudeAvailable())('resuming after a restart', () => {
  it('offers the interrupted task and resumes it to completion', async () => {
    let turn = 0
    // Before the restart the model never answers (the agent is mid-turn); afterwards it finishes.
    model = await startModelServer({ respond: () => (turn++ === 0 ? hang() : text('Picked up where I left off. Done.')) })
    env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
    const dataDir = await mkdtemp(join(tmpdir(), 'makima-e2e-'))
    const cfg = await config(dataDir)
    const repo = makeRepo(dirs)

    const first = await startCore(cfg, { mode: 'daemon', stderr: null, agentEnv: env.env })
    cores.push(first)
    const created = await first.dispatch('createTask', { name: 'Long job', plan: 'Work for a while.', repoUrl: repo }, { trusted: true, label: 'test' })
    const taskId = (created as { ok: true; value: { taskId: string } }).value.taskId
    await expect.poll(() => model!.conversationRequests().length, { timeout: 60_000 }).toBe(1)
    expect(first.tasks.get(taskId)?.state).toBe('running')
    await first.stop() // like quitting the app (or a crash): the record still says running
    cores = []

    const second = await startCore(cfg, { mode: 'daemon', stderr: null, agentEnv: env.env })
    cores.push(second)
    web = await startWebServer({ rendererDir: await buildRenderer(), dispatch: second.dispatch, events: second.events, log: second.log })
    browser = await launchChromium()
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(web.url)

    const banner = page.locator('[data-testid="recovery-banner"]')
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain('Long job')
    await banner.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => second.tasks.get(taskId)?.state, { timeout: 90_000 }).toBe('completed')
    await page.locator(`[data-task-id="${taskId}"]`).click()
    await expect.poll(() => page.locator('[data-testid="output"]').textContent(), { timeout: 15_000 }).toContain('Picked up where I left off. Done.')
  }, 240_000)
})
