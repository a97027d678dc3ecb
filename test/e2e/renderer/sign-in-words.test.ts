// The sign-in as a window user meets it, in Chromium against a real core: the banner offers the
// Sign in button, a failed sign-in offers Try again, and the CLI's "Please run /login" in a task's
// error is turned into the window's way — no command to type anywhere.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toLoginState } from '../../../src-main/core/bridge/auth-handlers'
import { fallbackNotice } from '../../../src-main/core/auth/login-state'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { TASK_A } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

let app: App
let page: Page

beforeAll(async () => {
  app = await startApp({
    seed: (core) => core.tasks.save(taskRecord(TASK_A, { name: 'Needs sign-in', state: 'failed', errorMessage: 'Not logged in · Please run /login' })),
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
})

describe.runIf(hasChromium)('sign-in words for the window', () => {
  it('the banner offers the button; a failed flow offers Try again; no "/login" anywhere', async () => {
    await page.locator(`[data-task-id="${TASK_A}"]`).click()
    await expect.poll(() => page.locator('.task-head .error').textContent(), { timeout: 15_000 }).toBe('Not logged in · Sign in with the Sign in button at the top of the window.')

    app.core.events.emit('authRequired', { taskId: TASK_A, loginUrl: null, hostname: 'box' })
    const banner = page.locator('[data-testid="login-banner"]')
    await expect.poll(() => banner.getByRole('button', { name: 'Sign in' }).count(), { timeout: 15_000 }).toBe(1)

    app.core.events.emit('loginState', toLoginState({ kind: 'failed', taskIds: [TASK_A], reason: 'no-url', message: fallbackNotice('box'), at: 0 }))
    await expect.poll(() => banner.getByRole('button', { name: 'Try again' }).count(), { timeout: 15_000 }).toBe(1)
    expect(await page.locator('body').textContent()).not.toMatch(/\/login/)
  })
})
