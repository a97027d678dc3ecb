// Changing settings in the app, in Chromium against a real core: an invalid value is refused with
// the config's own rule; max tasks and the theme are saved, apply at once, survive a reload and a
// restart of the core; a value a flag sets is locked and names the flag.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'

let dataDir: string
let app: App | undefined
let page: Page

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'makima-settings-e2e-'))
  app = await startApp({ dataDir, flags: ['--agent', 'codex'] })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  await rm(dataDir, { recursive: true, force: true })
})

const prefs = () => page.locator('[data-testid="preferences"]')
const field = (key: string) => prefs().locator(`[data-key="${key}"]`).locator('input, select')
const note = (key: string) => prefs().locator(`[data-key="${key}"] [data-testid="pref-note"]`)
const theme = () => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: Record<string, string> } } }).document.documentElement.dataset.theme)

async function openSettings(): Promise<void> {
  await page.locator('[data-testid="open-settings"]').click()
  await expect.poll(() => prefs().count(), { timeout: 15_000 }).toBe(1)
}

describe.runIf(hasChromium)('settings you can change', () => {
  it('a value set by a flag is locked and names the flag', async () => {
    await openSettings()
    expect(await field('agent.default').isDisabled()).toBe(true)
    expect(await field('agent.default').inputValue()).toBe('codex')
    expect(await note('agent.default').textContent()).toBe('🔒 Set by flag --agent')
    expect(await field('process.max_concurrent_tasks').isDisabled()).toBe(false)
    expect(await note('server.url').textContent()).toBe('Applies after a restart')
    expect(await note('process.max_concurrent_tasks').textContent()).toBe('Applies now')
  })

  it('an invalid value is refused with the rule it breaks, and nothing is saved', async () => {
    await field('process.max_concurrent_tasks').fill('0')
    await prefs().getByRole('button', { name: 'Save' }).click()
    const err = page.locator('[data-testid="settings-error"]')
    await expect.poll(() => err.textContent(), { timeout: 15_000 }).toBe('process.max_concurrent_tasks: got "0", expected an integer from 1 to 1000')
    expect(await field('process.max_concurrent_tasks').getAttribute('aria-invalid')).toBe('true')
    await expect(readFile(join(dataDir, 'settings.toml'), 'utf8')).rejects.toThrow(/ENOENT/)
    expect(app!.core.config.process.maxConcurrentTasks).toBe(10)
  })

  it('max tasks and the theme are saved, apply at once (in every window), and survive a reload and a restart', async () => {
    const other = await app!.browser.newPage()
    await other.goto(app!.web.openUrl)
    const otherTheme = () => other.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: Record<string, string> } } }).document.documentElement.dataset.theme)
    await expect.poll(otherTheme, { timeout: 15_000 }).toBe('dark')
    await field('process.max_concurrent_tasks').fill('3')
    await field('ui.theme').selectOption('light')
    await prefs().getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => prefs().getByRole('status').textContent(), { timeout: 15_000 }).toBe('Saved.')
    expect(await theme()).toBe('light')
    await expect.poll(otherTheme, { timeout: 15_000 }).toBe('light')
    await other.close()
    expect(app!.core.config.process.maxConcurrentTasks).toBe(3)
    expect(await readFile(join(dataDir, 'settings.toml'), 'utf8')).toContain('max_concurrent_tasks = 3')

    await page.reload()
    await expect.poll(theme, { timeout: 15_000 }).toBe('light')
    await openSettings()
    expect(await field('process.max_concurrent_tasks').inputValue()).toBe('3')
    expect(await field('ui.theme').inputValue()).toBe('light')

    // A new core on the same data directory reads them back.
    await app!.close()
    app = await startApp({ dataDir, flags: ['--agent', 'codex'] })
    page = app.page
    expect(app.core.config.process.maxConcurrentTasks).toBe(3)
    await expect.poll(theme, { timeout: 15_000 }).toBe('light')
    await openSettings()
    expect(await field('process.max_concurrent_tasks').inputValue()).toBe('3')
    expect(await note('process.max_concurrent_tasks').textContent()).toBe('Applies now')
  }, 120_000)
})
