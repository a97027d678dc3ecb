// The Changes tab as the agent works, in real Chromium against a real core and the REAL Claude Code
// CLI (scripted model): the diff appears while the agent is still running, without Refresh; the
// changed files form a folder tree; the branch's commits are listed and one shows its own diff; a
// click on a line sends a comment with file:line to the agent as a follow-up.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../src-main/core/start'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { commitFile, git, makeRepo, TempDirs } from '../../fixtures/git/repos'
import { reply, text, type ModelServer, type Turn } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: AgentApp
let core: Core
let page: Page
let model: ModelServer
let repo: string

/** A door the scripted model waits behind, opened by the test. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void
  const wait = new Promise<void>((r) => (open = r))
  return { wait, open }
}
const beforeWrite = gate()
const beforeEnd = gate()

beforeAll(async () => {
  repo = makeRepo(dirs, { files: { 'src/deep/nested/keep.txt': 'keep\n', 'src/keep.txt': 'keep\n' } })
  app = await startAgentApp({
    model: {
      respond: async (ctx): Promise<Turn | undefined> => {
        if (ctx.turnIndex === 0) {
          await beforeWrite.wait
          return reply({
            blocks: [
              { type: 'tool_use', name: 'Write', input: { file_path: 'src/deep/nested/live.txt', content: 'first line\nsecond line\n' } },
              { type: 'tool_use', name: 'Write', input: { file_path: 'src/top.txt', content: 'top\n' } },
            ],
            stopReason: 'tool_use',
          })
        }
        if (ctx.turnIndex === 1) {
          await beforeEnd.wait
          return text('Files written.')
        }
        return text('Comment noted.')
      },
    },
    claude: { apiKey: 'sk-test-e2e' },
  })
  ;({ core, page, model } = app)
}, 120_000)

afterAll(async () => {
  beforeWrite.open()
  beforeEnd.open()
  await app?.close()
  dirs.cleanup()
})

const diffText = () => page.locator('[data-testid="diff"]').textContent({ timeout: 1000 }).catch(() => '')

describe.runIf(hasChromium && claudeAvailable())('the Changes tab while the agent works', () => {
  it('shows what the agent writes without Refresh, while the task is still running', async () => {
    await createTaskInUi(page, { name: 'Live changes', plan: 'Write two files.', repo })
    await model.waitForTurns(1, 60_000)
    await page.getByRole('tab', { name: 'Changes' }).click()
    await expect.poll(() => page.locator('.diff-summary').first().textContent(), { timeout: 15_000 }).toContain('No changes yet.')
    beforeWrite.open()
    // The second model request means the CLI ran both writes and reported them back.
    await model.waitForTurns(2, 60_000)
    await expect.poll(diffText, { timeout: 20_000 }).toContain('+second line')
    expect(await diffText()).toContain('+top')
    expect(await shownState(page)).toBe('running') // the end of the task did not bring it: the agent's writes did
  }, 120_000)

  it('lists the changed files as a folder tree with counts, folders collapsible', async () => {
    const tree = page.locator('[data-testid="file-tree"]')
    await expect.poll(() => tree.locator('[data-testid="tree-file"]').count(), { timeout: 10_000 }).toBe(2)
    const src = tree.locator('[data-testid="tree-dir"][data-path="src"]')
    expect(await src.textContent()).toContain('+3')
    const nested = tree.locator('[data-testid="tree-dir"][data-path="src/deep/nested"]')
    expect(await nested.locator('.tree-name').textContent()).toBe('deep/nested/')
    expect(await nested.textContent()).toContain('+2')
    expect(await tree.locator('[data-testid="tree-file"][data-path="src/deep/nested/live.txt"]').count()).toBe(1)
    await src.click()
    await expect.poll(() => tree.locator('[data-testid="tree-file"]').count()).toBe(0)
    await src.click()
    await expect.poll(() => tree.locator('[data-testid="tree-file"]').count()).toBe(2)
    beforeEnd.open()
    await expect.poll(() => shownState(page), { timeout: 60_000 }).toBe('completed')
  }, 120_000)

  it("lists the branch's commits and shows one commit's own diff", async () => {
    const wt = core.tasks.list({})[0]!.worktreePath!
    git(wt, 'add', '-A')
    git(wt, '-c', 'user.name=Agent', '-c', 'user.email=a@example.com', 'commit', '-q', '-m', 'agent writes two files')
    commitFile(wt, 'src/later.txt', 'later\n', 'a later change')
    await page.getByRole('button', { name: 'Commits' }).click()
    const commits = page.locator('[data-testid="commit"]')
    await expect.poll(() => commits.count(), { timeout: 15_000 }).toBe(2)
    expect(await commits.locator('.commit-subject').allTextContents()).toEqual(['a later change', 'agent writes two files'])
    await commits.nth(1).click()
    const pane = page.locator('[data-testid="commit-diff"]')
    await expect.poll(() => pane.getAttribute('data-sha'), { timeout: 15_000 }).toBe(git(wt, 'rev-parse', 'HEAD~1'))
    const shown = (await pane.textContent()) ?? ''
    expect(shown).toContain('+second line')
    expect(shown).not.toContain('+later')
    await page.screenshot({ path: join(tmpdir(), 'makima-changes-commits.png') })
    await commits.nth(0).click()
    await expect.poll(() => pane.textContent(), { timeout: 15_000 }).toContain('+later')
    expect(await pane.textContent()).not.toContain('+second line')
  }, 60_000)

  it('sends a comment on a clicked line to the agent as a follow-up with file:line and the text', async () => {
    await page.getByRole('button', { name: 'All changes' }).click()
    const live = page.locator('[data-testid="diff-file"][data-path="src/deep/nested/live.txt"]')
    await live.locator('.diff-body span[data-n="2"]', { hasText: 'second line' }).click()
    const box = page.locator('[data-testid="line-comment"]')
    expect(await box.textContent()).toContain('src/deep/nested/live.txt:2')
    await box.getByLabel('Comment for the agent').fill('Please say "2nd" instead.')
    await page.screenshot({ path: join(tmpdir(), 'makima-changes-comment.png') })
    const before = model.conversationRequests().length
    await box.getByRole('button', { name: 'Send to agent' }).click()
    await model.waitForTurns(before + 1, 60_000)
    const sent = JSON.stringify(model.conversationRequests().at(-1)!.json)
    expect(sent).toContain('src/deep/nested/live.txt:2')
    expect(sent).toContain('Please say \\"2nd\\" instead.')
    expect(sent).toContain('second line')
    await expect.poll(() => page.locator('[data-testid="line-comment"]').count()).toBe(0)
  }, 120_000)
})
