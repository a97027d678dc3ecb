// Worktree setup seen from the app (real Chromium → real core → the REAL Claude Code CLI against a
// scripted model): a repository with an ignored `.env` and a `.makima/setup.sh`. The new worktree
// has the `.env`, the script's output is a step of the task shown before the agent starts, and the
// agent's first command already sees what the script made.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { git, TempDirs } from '../../fixtures/git/repos'
import { makeSetupRepo } from '../../fixtures/git/setup-repo'
import { text, toolUse } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: AgentApp | undefined
const ready = hasChromium && claudeAvailable()

beforeAll(async () => {
  if (!ready) return
  app = await startAgentApp({
    model: { turns: [toolUse('Bash', { command: 'cat .env; cat setup-ran.txt', description: 'look' }), text('Saw the setup, ZEBRA.')] },
    claude: { apiKey: 'sk-test-e2e' },
  })
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

describe.runIf(ready)('worktree setup in the app', () => {
  it('copies .env into the new worktree and shows the setup script as a step before the agent starts', async () => {
    const page = app!.page
    const repo = makeSetupRepo(dirs, 'FLAVOUR=from-main-checkout\n')

    await createTaskInUi(page, { name: 'Setup step', plan: 'Look around.', repo })
    const out = page.locator('[data-testid="output"]')
    await expect.poll(() => out.textContent(), { timeout: 90_000 }).toContain('ZEBRA.')
    await expect.poll(() => shownState(page), { timeout: 60_000 }).toBe('completed')

    // The rows in the order shown: the setup's output comes before the agent's session.
    const rows = await out.evaluate((e) =>
      [...e.querySelectorAll('[data-index]')]
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((r) => r.textContent ?? ''),
    )
    const setupAt = rows.findIndex((r) => r.includes('installing deps'))
    const sessionAt = rows.findIndex((r) => r.startsWith('Session started'))
    expect(setupAt, rows.join('\n')).toBeGreaterThanOrEqual(0)
    expect(sessionAt, rows.join('\n')).toBeGreaterThan(setupAt)
    // The agent's first command read what the script wrote from the copied .env.
    expect(rows.join('\n')).toContain('setup output FLAVOUR=from-main-checkout')

    const task = app!.core.tasks.list().find((t) => t.name === 'Setup step')!
    expect(readFileSync(join(task.worktreePath!, '.env'), 'utf8')).toBe('FLAVOUR=from-main-checkout\n')
    expect(git(task.worktreePath!, 'status', '--porcelain')).toBe('') // both stay ignored
  }, 180_000)
})
