// The keyboard, in Chromium against a real core: the command palette (Ctrl+K) finds "New task" and
// runs it, finds a task by name; Alt+N opens the dialog without Ctrl+N (which browsers keep); the
// arrow keys walk the task list and Enter opens a task; every action shows its shortcut, and the
// shortcut help lists them all.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { TASK_A, TASK_B, TASK_C } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

let app: App
let page: Page
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString()

beforeAll(async () => {
  app = await startApp({
    seed: (core) => {
      core.tasks.save(taskRecord(TASK_A, { name: 'Oldest', state: 'completed', createdAt: at(1) }))
      core.tasks.save(taskRecord(TASK_B, { name: 'Middle', state: 'completed', createdAt: at(2) }))
      core.tasks.save(taskRecord(TASK_C, { name: 'Newest pelican', state: 'completed', createdAt: at(3) }))
    },
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
})

const selectedName = () => page.locator('.task-title h1').textContent()

describe.runIf(hasChromium)('keyboard', () => {
  it('the palette opens with Ctrl+K, finds "New task" (with its shortcut) and runs it', async () => {
    await expect.poll(() => page.locator('[data-testid="task-row"]').count(), { timeout: 15_000 }).toBe(3)
    await page.keyboard.press('Control+k')
    const palette = page.locator('[data-testid="palette"]')
    await expect.poll(() => palette.count()).toBe(1)
    await page.keyboard.type('new ta')
    const items = palette.locator('[cmdk-item]')
    await expect.poll(() => items.first().textContent()).toBe('New task Alt+N')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByLabel('Name', { exact: true }).count()).toBe(1)
    expect(await palette.count()).toBe(0)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByLabel('Name', { exact: true }).count()).toBe(0)
  })

  it('the palette goes to a task by name', async () => {
    await page.keyboard.press('Control+k')
    await page.keyboard.type('pelican')
    await page.keyboard.press('Enter')
    await expect.poll(selectedName).toBe('Newest pelican')
  })

  it('Alt+N opens the New task dialog', async () => {
    await page.keyboard.press('Alt+n')
    await expect.poll(() => page.getByLabel('Name', { exact: true }).count()).toBe(1)
    await page.keyboard.press('Escape')
  })

  it('arrow keys walk the task list and show each task', async () => {
    await page.locator(`[data-task-id="${TASK_C}"]`).focus()
    await page.keyboard.press('ArrowDown')
    await expect.poll(selectedName).toBe('Middle')
    await page.keyboard.press('ArrowDown')
    await expect.poll(selectedName).toBe('Oldest')
    await page.keyboard.press('ArrowDown') // the last row stays
    await page.keyboard.press('ArrowUp')
    await expect.poll(selectedName).toBe('Middle')
  })

  it('Enter on a task row opens it with the cursor in its composer', async () => {
    await page.locator(`[data-task-id="${TASK_C}"]`).focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await expect.poll(selectedName).toBe('Middle')
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label'))).toBe('Message to the agent')
    // Typing there is not taken for a shortcut ("/" and "?" are text).
    await page.keyboard.type('a/b?')
    expect(await page.getByLabel('Message to the agent').inputValue()).toBe('a/b?')
    await page.getByLabel('Message to the agent').fill('')
  })

  it('Alt+↓ / Alt+↑ move between tasks from anywhere, and / finds a task', async () => {
    await page.locator('.task-title h1').click() // focus out of the list
    await page.keyboard.press('Alt+ArrowDown')
    await expect.poll(selectedName).toBe('Oldest')
    await page.keyboard.press('Alt+ArrowUp')
    await page.keyboard.press('Alt+ArrowUp')
    await expect.poll(selectedName).toBe('Newest pelican')
    await page.locator('.task-title h1').click()
    await page.keyboard.press('/')
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label'))).toBe('Find a task')
    await page.keyboard.press('Escape')
  })

  it('every action in the palette shows its shortcut, none of them a browser key; Ctrl+/ and ? show them all', async () => {
    await page.locator('.task-title h1').click()
    await page.keyboard.press('Control+k')
    const actions = page.locator('[data-testid="palette"] [cmdk-group-heading]', { hasText: 'Actions' }).locator('xpath=..').locator('[cmdk-item]')
    await expect.poll(() => actions.count()).toBeGreaterThan(3)
    const shown: string[] = []
    for (const item of await actions.all()) {
      const keys = await item.locator('kbd').allTextContents()
      expect(keys, (await item.textContent()) ?? '').toHaveLength(1)
      shown.push(keys[0]!)
    }
    for (const k of shown) expect(k).not.toMatch(/^Ctrl\+[NTW]$/)
    await page.keyboard.press('Escape')

    await page.keyboard.press('Control+/')
    const help = page.locator('[data-testid="shortcut-help"]')
    await expect.poll(() => help.count()).toBe(1)
    const listed = await help.locator('kbd').allTextContents()
    for (const k of shown) expect(listed).toContain(k)
    expect(listed).toEqual(expect.arrayContaining(['Ctrl+K', '↑ / ↓', 'Enter']))
    await page.keyboard.press('Escape')
    await expect.poll(() => help.count()).toBe(0)
    await page.keyboard.press('?')
    await expect.poll(() => help.count()).toBe(1)
    await page.keyboard.press('Escape')
  })
})
