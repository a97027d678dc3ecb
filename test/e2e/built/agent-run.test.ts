// A plain task in the built daemon's web UI (built renderer, served with the production CSP): the
// New task dialog → the bundled core → the REAL Claude CLI (scripted model) in its own worktree →
// live output → the Changes tab → a follow-up that continues the session.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { builtUiTools, startBuiltAgentUi, type BuiltUi } from '../../fixtures/built-daemon'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { reply, text, toolUse } from '../../fixtures/model-server'

const dirs = new TempDirs()
let ui: BuiltUi
const consoleErrors: string[] = []

describe.runIf(builtUiTools())('a task in the built daemon', () => {
  beforeAll(async () => {
    ui = await startBuiltAgentUi({
      model: {
        turns: [
          reply({ blocks: [{ type: 'text', text: 'Reading the task.' }, { type: 'tool_use', name: 'Write', input: { file_path: 'greeting.txt', content: 'hello from the bundle\n' } }], stopReason: 'tool_use' }),
          text('All done: greeting.txt written.'),
          toolUse('Write', { file_path: 'farewell.txt', content: 'goodbye\n' }),
          text('Follow-up done.'),
        ],
      },
      onPage: (page) => page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text()))),
    })
  }, 180_000)

  afterAll(async () => {
    await ui?.close()
    dirs.cleanup()
  })

  /** The one task worktree the daemon made under its data dir. */
  async function worktree(): Promise<string> {
    const root = join(ui.dataDir, 'worktrees')
    const [dir, ...more] = await readdir(root)
    if (!dir || more.length > 0) throw new Error(`expected one worktree in ${root}, found ${[dir, ...more].join(', ')}`)
    return join(root, dir)
  }

  it('streams the transcript, ends Done with the file in its worktree, and shows the diff', async () => {
    const { page } = ui
    await createTaskInUi(page, { name: 'Write a greeting', plan: 'Create greeting.txt.', repo: makeRepo(dirs) })
    const out = page.locator('[data-testid="output"]')
    await expect.poll(() => out.textContent(), { timeout: 90_000 }).toContain('All done: greeting.txt written.')
    expect(await out.textContent()).toContain('Reading the task.')
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe('completed')
    expect(await readFile(join(await worktree(), 'greeting.txt'), 'utf8')).toBe('hello from the bundle\n')

    await page.getByRole('tab', { name: 'Changes' }).click()
    await expect.poll(() => page.locator('[data-testid="diff"]').textContent(), { timeout: 15_000 }).toContain('+hello from the bundle')
  }, 180_000)

  it('continues the session on a follow-up, and the page logged no errors (CSP included)', async () => {
    const { page } = ui
    await page.getByRole('tab', { name: 'Output' }).click()
    await page.getByLabel('Message to the agent').fill('Now write farewell.txt too.')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('[data-testid="output"]').textContent(), { timeout: 90_000 }).toContain('Follow-up done.')
    await expect.poll(() => shownState(page), { timeout: 30_000 }).toBe('completed')
    expect(await readFile(join(await worktree(), 'farewell.txt'), 'utf8')).toBe('goodbye\n')
    const last = JSON.stringify(ui.model.conversationRequests().at(-1)!.json)
    expect(last).toContain('greeting.txt') // the first conversation was resumed
    expect(consoleErrors).toEqual([])
  }, 180_000)
})
