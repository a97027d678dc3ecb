// A small window and the notifications, in Chromium against a real core: at 800×600 with a
// question waiting, every control of the task view is on screen and uncovered (bounding boxes and
// hit tests); toasts name tasks, go by themselves unless they are errors, and never cover the
// composer; the task list resizes and collapses.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { git, makeRepo, TASK_A, TASK_B, TempDirs } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

const dirs = new TempDirs()
let app: App
let page: Page

beforeAll(async () => {
  const repo = makeRepo(dirs)
  const wt = join(dirs.make('makima-wt-'), 'small')
  git(repo, 'worktree', 'add', '-q', '-b', 'makima/small', wt)
  app = await startApp({
    viewport: { width: 800, height: 600 },
    seed: (core) => {
      const sup = taskRecord(TASK_B, { name: 'Release train', isSupervisor: true, repoUrl: repo })
      core.tasks.save(sup)
      core.tasks.save(taskRecord(TASK_A, { name: 'Small window task', state: 'completed', repoUrl: repo, baseBranch: 'main', worktreePath: wt }))
      core.control.ask({ taskId: sup.id, task: sup }, { question: 'Ship the release today?', choices: ['Yes', 'Not yet'] })
    },
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

// The few DOM types the check needs (the test project compiles without the DOM library).
interface El {
  tagName: string
  className: string
  textContent: string | null
  getAttribute(n: string): string | null
  getBoundingClientRect(): { left: number; top: number; right: number; bottom: number; width: number; height: number }
  contains(o: El): boolean
  querySelectorAll(s: string): Iterable<El>
}
interface Doc {
  querySelector(s: string): El | null
  elementFromPoint(x: number, y: number): El | null
}

/** Controls inside `scope` (the task view unless told) that are off screen, clipped or covered by something else. */
function hiddenControls(p: Page, scope = '.task-view'): Promise<string[]> {
  return p.evaluate((scope) => {
    const { document, innerWidth, innerHeight } = globalThis as unknown as { document: Doc; innerWidth: number; innerHeight: number }
    const bad: string[] = []
    const view = document.querySelector(scope)
    if (!view) return [`no ${scope}`]
    for (const el of view.querySelectorAll('button, input, textarea, select, [role="tab"]')) {
      const r = el.getBoundingClientRect()
      const name = `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}"`
      if (r.width < 4 || r.height < 4) bad.push(`${name}: ${r.width}×${r.height}`)
      else if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) bad.push(`${name}: outside the window`)
      else {
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
        if (!hit || !(el === hit || el.contains(hit))) bad.push(`${name}: covered by ${hit?.className || hit?.tagName}`)
      }
    }
    return bad
  }, scope)
}

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

describe.runIf(hasChromium)('small windows and notifications', () => {
  it('at 800×600 with a question waiting, every control of the task view is visible', async () => {
    await page.locator(`[data-task-id="${TASK_A}"]`).click()
    await expect.poll(() => page.locator('[data-testid="questions-tab"]').count(), { timeout: 15_000 }).toBe(1)
    expect(await page.locator('[data-testid="deliver"]').count()).toBe(1)
    expect(await hiddenControls(page)).toEqual([])
    const main = (await page.locator('.main').boundingBox())!
    expect(main.width).toBeGreaterThan(450)

    // The drawer opens over the view on request, answers, and goes away with the question.
    await page.locator('[data-testid="questions-tab"]').click()
    await page.locator('[data-testid="question"]').getByRole('button', { name: 'Not yet' }).click()
    await expect.poll(() => page.locator('[data-testid="question"]').count(), { timeout: 15_000 }).toBe(0)
    expect(await hiddenControls(page)).toEqual([])
  })

  it('at 800×600 the New task dialog shows every field whole, and the task list keeps the selected name readable', async () => {
    const name = (await page.locator(`[data-task-id="${TASK_A}"] .task-name`).boundingBox())!
    expect(name.width).toBeGreaterThan(60)
    await page.locator('[data-testid="new-task"]').click()
    await expect.poll(() => page.getByRole('dialog', { name: 'New task' }).count()).toBe(1)
    expect(await hiddenControls(page, '.modal')).toEqual([])
    // Fields stack instead of squeezing: each select is wide enough for its longest words.
    const selects = await page.locator('.modal select').all()
    expect(selects).toHaveLength(3) // mode, agent, when done
    for (const s of selects) expect((await s.boundingBox())!.width).toBeGreaterThan(200)
    await page.keyboard.press('Escape')
  })

  it('toasts name the task, go by themselves unless errors, stay clear of the composer, one place per error', async () => {
    app.core.events.emit('notice', { level: 'info', message: `Task ${TASK_B} has ended`, taskId: TASK_B })
    app.core.events.emit('notice', { level: 'error', message: `Task ${TASK_B} could not merge`, taskId: TASK_B })
    // About the task on screen: its header shows it, no toast.
    app.core.events.emit('notice', { level: 'error', message: `Task ${TASK_A} failed`, taskId: TASK_A })
    const toasts = page.locator('[data-testid="toast"]')
    await expect.poll(() => toasts.allTextContents(), { timeout: 15_000 }).toEqual(['Task “Release train” has endedShow×', 'Task “Release train” could not mergeShow×'])
    const send = (await page.getByRole('button', { name: 'Send' }).boundingBox())!
    for (const box of await Promise.all((await toasts.all()).map((t) => t.boundingBox()))) expect(overlaps(box!, send)).toBe(false)
    expect(await hiddenControls(page)).toEqual([])

    await expect.poll(() => toasts.allTextContents(), { timeout: 20_000 }).toEqual(['Task “Release train” could not mergeShow×'])
    await toasts.getByRole('button', { name: 'Dismiss' }).click()
    await expect.poll(() => toasts.count()).toBe(0)
  })

  it('the task list resizes by its edge and collapses to a rail', async () => {
    const sidebar = page.locator('[data-testid="sidebar"]')
    const before = (await sidebar.boundingBox())!.width
    const edge = (await page.getByRole('separator', { name: 'Resize the task list' }).boundingBox())!
    await page.mouse.move(edge.x + edge.width / 2, edge.y + 100)
    await page.mouse.down()
    await page.mouse.move(edge.x + edge.width / 2 + 80, edge.y + 100, { steps: 4 })
    await page.mouse.up()
    await expect.poll(async () => Math.round((await sidebar.boundingBox())!.width)).toBe(Math.round(before + 80))

    await page.getByRole('button', { name: 'Hide the task list' }).click()
    await expect.poll(() => sidebar.count()).toBe(0)
    expect((await page.locator('.main').boundingBox())!.width).toBeGreaterThan(700)
    await page.getByRole('button', { name: 'Show the task list' }).click()
    await expect.poll(async () => Math.round((await sidebar.boundingBox())?.width ?? 0)).toBe(Math.round(before + 80))
  })
})
