// The task UI in real Chromium against a real core: stored stream-json output rendered as a
// readable transcript, live output pushed by the core appended, selection, filters.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toSummary } from '../../../src-main/core/bridge/handlers'
import type { Core } from '../../../src-main/core/start'
import type { TaskRecord } from '../../../src-main/core/store/task-repository'
import { shownState, startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { taskRecord } from '../../fixtures/store/task-record'

let app: App
let core: Core
let page: Page

/** Tasks of this file: in a repository, each with its own worktree. */
const record = (id: string, over: Partial<TaskRecord> = {}): TaskRecord =>
  taskRecord(id, { plan: 'p', repoUrl: '/repo', baseBranch: 'main', worktreePath: '/wt/' + id, ...over })

const line = (o: unknown) => JSON.stringify(o)

beforeAll(async () => {
  app = await startApp({
    seed: (c) => {
      c.tasks.save(record('Refactor auth', { isSupervisor: true }))
      c.tasks.save(record('Write tests', { parentTaskId: 'Refactor auth', state: 'completed' }))
      c.output.append('Refactor auth', [
        { kind: 'system', data: line({ type: 'system', subtype: 'init', session_id: 's1', model: 'claude-test', cwd: '/wt/x' }) },
        { kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'text', text: 'I will read the login module first.' }] } }) },
        { kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'makima supervisor tasks' } }] } }) },
        { kind: 'user', data: line({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: '[]' }] } }) },
        { kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'tool_use', id: 't2', name: 'Bash', input: { command: 'makima supervisor ask "Which database?"' } }] } }) },
        { kind: 'user', data: line({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't2', content: JSON.stringify({ questionId: 'q1', question: 'Which database?', choices: [], status: 'answered', answered: true, answer: 'Postgres, please' }) }] } }) },
        { kind: 'stderr', data: 'warning: something odd' },
        { kind: 'result', data: line({ type: 'result', subtype: 'success', is_error: false, result: 'Plan ready.', duration_ms: 1500, total_cost_usd: 0.0123 }) },
      ])
    },
  })
  ;({ core, page } = app)
}, 120_000)

afterAll(async () => {
  await app?.close()
})

describe.runIf(hasChromium)('task view', () => {
  it('lists tasks as a tree with their states', async () => {
    await expect.poll(() => page.locator('[data-testid="task-row"]').count(), { timeout: 15_000 }).toBe(2)
    const rows = await page.locator('[data-testid="task-row"]').allTextContents()
    expect(rows[0]).toContain('Refactor auth')
    expect(rows[0]).toContain('Running')
    expect(rows[1]).toContain('Write tests')
    expect(rows[1]).toContain('Done')
    await page.getByRole('button', { name: /Active/ }).click()
    await expect.poll(() => page.locator('[data-testid="task-row"]').count()).toBe(1)
    await page.getByRole('button', { name: /All/ }).click()
  })

  it('shows stored output as a transcript: text, tool calls, results, stderr', async () => {
    await page.locator('[data-task-id="Refactor auth"]').click()
    const out = page.locator('[data-testid="output"]')
    await expect.poll(() => out.textContent(), { timeout: 15_000 }).toContain('I will read the login module first.')
    const text = (await out.textContent()) ?? ''
    expect(text).toContain('Session started · claude-test')
    expect(text).toContain('Bash makima supervisor tasks')
    expect(text).toContain('warning: something odd')
    expect(text).toContain('Plan ready. · 1.5 s · $0.0123')
    // The supervisor's question and the user's answer read as a turn, not as JSON.
    expect(await page.locator('[data-testid="qa-turn"]').textContent()).toBe('Agent asked Which database?You answered Postgres, please')
    expect(text).not.toContain('"questionId"')
    expect(text).not.toContain('"type":"assistant"') // no raw JSON for known lines
  })

  it('keeps a bounded window of a long transcript and pages earlier lines in on request', async () => {
    core.tasks.save(record('Long run'))
    const many = Array.from({ length: 6500 }, (_, i) => ({ kind: 'notice', data: `line ${i + 1}` }))
    core.output.append('Long run', many)
    await page.reload()
    await page.locator('[data-task-id="Long run"]').click()
    const notice = page.locator('.out-notice', { hasText: 'earlier lines are stored' })
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toContain('1500 earlier lines are stored')
    // Only the visible rows are in the DOM (virtualised), not 5,000.
    expect(await page.locator('.out-row').count()).toBeLessThan(200)
    await page.locator('[data-testid="load-earlier"]').click()
    await expect.poll(() => page.locator('.out-notice', { hasText: 'earlier lines are stored' }).count(), { timeout: 15_000 }).toBe(0)
    await page.locator('[data-task-id="Refactor auth"]').click()
  })

  it('renders code blocks and inline code, and never interprets markup from the agent', async () => {
    const text = 'Run `npm test` then:\n```ts\nconst x = 1\n```\n<img src=x onerror="document.title=\'pwned\'">'
    const [stored] = core.output.append('Refactor auth', [{ kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'text', text }] } }) }])
    core.events.emit('taskOutput', { taskId: 'Refactor auth', lines: [{ seq: stored!.seq, kind: stored!.kind, data: stored!.data }] })
    await expect.poll(() => page.locator('.code-block').last().textContent(), { timeout: 15_000 }).toBe('const x = 1')
    expect(await page.locator('.inline-code', { hasText: 'npm test' }).count()).toBeGreaterThan(0)
    expect(await page.locator('[data-testid="output"] img').count()).toBe(0)
    expect(await page.title()).not.toBe('pwned')
    expect(await page.locator('[data-testid="output"]').textContent()).toContain('<img src=x')
  })

  it('keeps the newest line on screen through a flood, and stops following when the user scrolls up', async () => {
    core.tasks.save(record('Flood'))
    core.events.emit('taskUpdated', toSummary(core.tasks.get('Flood')!))
    await page.locator('[data-task-id="Flood"]').click()
    const push = async (from: number, count: number) => {
      for (let i = from; i < from + count; i += 160) {
        const batch = Array.from({ length: 160 }, (_, k) => ({ kind: 'result', data: line({ type: 'result', subtype: 'success', is_error: false, result: `flood line ${i + k}` }) }))
        const stored = core.output.append('Flood', batch)
        core.events.emit('taskOutput', { taskId: 'Flood', lines: stored.map(({ seq, kind, data }) => ({ seq, kind, data })) })
        await new Promise((r) => setTimeout(r, 16))
      }
    }
    const outBox = async () => (await page.locator('[data-testid="output"]').boundingBox())!
    /** Whether the row whose text starts with `text` (exactly that line) is on screen. */
    const lastVisible = async (text: string) => {
      const out = await outBox()
      const rows = page.locator('.out-result', { hasText: new RegExp(`^${text}( ·|$)`) })
      for (let i = 0; i < (await rows.count()); i++) {
        const b = await rows.nth(i).boundingBox()
        if (b && b.y + b.height > out.y && b.y < out.y + out.height) return true
      }
      return false
    }
    await push(0, 20_000)
    await expect.poll(() => lastVisible('flood line 19999'), { timeout: 15_000 }).toBe(true)

    const output = page.locator('[data-testid="output"]')
    const box = (await output.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.wheel(0, -3000)
    await expect.poll(() => page.getByRole('button', { name: 'Jump to latest' }).count(), { timeout: 15_000 }).toBe(1)
    const out = await outBox()
    let reading = ''
    const rows = page.locator('.out-result')
    for (let i = 0; i < (await rows.count()) && !reading; i++) {
      const b = await rows.nth(i).boundingBox()
      if (b && b.y >= out.y) reading = ((await rows.nth(i).textContent()) ?? '').split(' · ')[0]!
    }
    expect(reading).toMatch(/^flood line \d+$/)
    await push(20_000, 800)
    expect(await lastVisible('flood line 20799')).toBe(false) // the user is reading further up
    expect(await lastVisible(reading)).toBe(true) // and what they read stays put
    await page.getByRole('button', { name: 'Jump to latest' }).click()
    await expect.poll(() => lastVisible('flood line 20799'), { timeout: 15_000 }).toBe(true)
    await page.locator('[data-task-id="Refactor auth"]').click()
  }, 120_000)

  it('appends live output pushed by the core', async () => {
    const [stored] = core.output.append('Refactor auth', [{ kind: 'assistant', data: line({ type: 'assistant', message: { content: [{ type: 'text', text: 'Spawning two subtasks now.' }] } }) }])
    core.events.emit('taskOutput', { taskId: 'Refactor auth', lines: [{ seq: stored!.seq, kind: stored!.kind, data: stored!.data }] })
    await expect.poll(() => page.locator('[data-testid="output"]').textContent(), { timeout: 15_000 }).toContain('Spawning two subtasks now.')
    core.events.emit('taskUpdated', toSummary(record('Refactor auth', { isSupervisor: true, state: 'paused' })))
    await expect.poll(() => shownState(page)).toBe('paused')
    await page.screenshot({ path: join(tmpdir(), 'makima-task-view.png') })
  })
})
