// A supervisor's contract as the user follows it: its scripted agent (REAL Claude CLI) files a
// report and spawns a subtask through the real `makima` CLI; the Contract tab shows both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse, type RespondContext } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: AgentApp

beforeAll(async () => {
  app = await startAgentApp({
    claude: { apiKey: 'sk-test' },
    model: {
      respond: (ctx: RespondContext) => {
        const first = JSON.stringify(ctx.body.messages?.[0] ?? '')
        if (first.includes('Polish the README')) return text('Child finished.')
        const results = (ctx.body.messages ?? []).filter(
          (m) =>
            m.role === 'user' &&
            Array.isArray(m.content) &&
            (m.content as { type: string }[]).some((b) => b.type === 'tool_result'),
        ).length
        if (results === 0)
          return toolUse('Bash', {
            command: 'makima contract report "Halfway there: plan written"',
            description: 'report',
          })
        if (results === 1)
          return toolUse('Bash', {
            command: 'makima supervisor spawn "Polish docs" "Polish the README"',
            description: 'spawn',
          })
        return text('Supervisor waiting.')
      },
    },
  })
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

describe.runIf(hasChromium && claudeAvailable())('the contract tab', () => {
  it("shows the supervisor's report and the subtask it spawned, which can be opened from there", async () => {
    const { page, core } = app
    const r = await core.dispatch(
      'createContract',
      { name: 'Docs sprint', goal: 'Improve the docs.', repoUrl: makeRepo(dirs) },
      { trusted: true, label: 'test' },
    )
    if (!r.ok) throw new Error(r.message)
    const { supervisorTaskId } = r.value as { supervisorTaskId: string }
    await page.locator(`[data-task-id="${supervisorTaskId}"]`).click()
    await page.getByRole('tab', { name: 'Contract' }).click()
    const panel = page.locator('[data-testid="contract-panel"]')
    await expect
      .poll(() => panel.textContent(), { timeout: 90_000 })
      .toContain('Halfway there: plan written')
    await expect.poll(() => panel.textContent(), { timeout: 90_000 }).toContain('Polish docs')
    expect(await panel.textContent()).toContain('Improve the docs.')
    await panel.getByRole('button', { name: 'Polish docs' }).click()
    await expect
      .poll(() => page.locator('.task-title h1').textContent(), { timeout: 15_000 })
      .toBe('Polish docs')
  }, 180_000)
})
