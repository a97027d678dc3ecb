// Small conveniences a person uses every day: Ctrl+N, Escape, finding a task, seeing where things live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toSummary } from '../../../src-main/core/bridge/handlers'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { taskRecord } from '../../fixtures/store/task-record'

let app: App

beforeAll(async () => {
  app = await startApp({ env: { MAKIMA_API_KEY: 'mk_secret_key_never_shown_123' } })
}, 120_000)

afterAll(async () => {
  await app?.close()
})

describe.runIf(hasChromium)('everyday conveniences', () => {
  it('opens the new-task dialog with Ctrl+N and closes it with Escape', async () => {
    const { page } = app
    await expect.poll(() => page.locator('[data-testid="task-count"]').textContent(), { timeout: 15_000 }).toBe('0')
    await page.keyboard.press('Control+n')
    await expect.poll(() => page.getByRole('dialog', { name: 'New task' }).count()).toBe(1)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByRole('dialog', { name: 'New task' }).count()).toBe(0)
  })

  it('finds tasks by name', async () => {
    const { page, core } = app
    for (const name of ['Fix login bug', 'Write docs', 'Login page redesign']) {
      core.events.emit('taskUpdated', toSummary(taskRecord(name)))
    }
    await expect.poll(() => page.locator('[data-testid="task-row"]').count(), { timeout: 15_000 }).toBe(3)
    await page.getByLabel('Find a task').fill('login')
    await expect.poll(async () => (await page.locator('[data-testid="task-row"] .task-name').allTextContents()).sort()).toEqual(['Fix login bug', 'Login page redesign'])
    await page.getByLabel('Find a task').fill('nothing like this')
    await expect.poll(() => page.getByText('No task matches.').count()).toBe(1)
    await page.getByLabel('Find a task').fill('')
  })

  it('shows where everything lives, and never the API key itself', async () => {
    const { page, dataDir } = app
    await page.locator('[data-testid="open-settings"]').click()
    const dialog = page.locator('[data-testid="settings"]')
    await expect.poll(() => dialog.textContent(), { timeout: 15_000 }).toContain(`${dataDir}/daemon.db`)
    const text = (await dialog.textContent()) ?? ''
    expect(text).toContain(`${dataDir}/worktrees`)
    expect(text).toContain('none — local mode')
    expect(text).not.toContain('mk_secret_key_never_shown_123')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
  })

  it('counts what waits for the user in the window title', async () => {
    const { page, core } = app
    const q = { id: 'q-1', taskId: 't', contractId: null, question: 'Ship it?', choices: [], context: null, state: 'pending' as const, answer: null, createdAt: new Date().toISOString(), expiresAt: null }
    core.events.emit('questionUpdated', q)
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('(1) Makima')
    core.events.emit('questionUpdated', { ...q, state: 'answered', answer: 'yes' })
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe('Makima')
  })
})
