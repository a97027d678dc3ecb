// "Ask the agent to resolve", as a user walks it with the REAL Claude Code CLI (scripted model):
// the task's commit conflicts with main; Update from base stops in the conflict editor; the button
// sends the agent a follow-up naming the conflicted file; the agent edits it and commits the
// merge; the Merge tab sees the merge finished and "Merge into main" succeeds.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../src-main/core/start'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { commitFile, git, makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse, type MessagesBody, type ModelServer, type Turn } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: AgentApp
let core: Core
let page: Page
let model: ModelServer
let repo: string

const ID = '-c user.name=Agent -c user.email=agent@example.com'

/** The text of the newest user message (this CLI puts a system message after it). */
function lastUserText(body: MessagesBody): string {
  const m = [...(body.messages ?? [])].reverse().find((x) => x.role === 'user')
  if (!m) return ''
  return typeof m.content === 'string' ? m.content : m.content.filter((b) => b.type === 'text').map((b) => String(b.text)).join('\n')
}

beforeAll(async () => {
  repo = makeRepo(dirs, { files: { 'shared.txt': 'one\ntwo\nthree\n' } })
  app = await startAgentApp({
    model: {
      // Keyed on what the user said, so the two tasks' conversations can interleave.
      respond: (ctx): Turn => {
        if (ctx.lastMessageHasToolResult) return text('Done with that.')
        const said = lastUserText(ctx.body)
        const bash = (command: string) => toolUse('Bash', { command })
        if (said.includes('Change line two')) return bash(`printf 'one\\ntwo from agent\\nthree\\n' > shared.txt && git add shared.txt && git ${ID} commit -qm 'agent changes line two'`)
        if (said.includes('stopped on conflicts')) return bash(`printf 'one\\ntwo from agent and main\\nthree\\n' > shared.txt && git add shared.txt && git ${ID} commit --no-edit -q`)
        if (said.includes('Merge main into your branch'))
          return bash(`git ${ID} merge -q main; printf 'one\\ntwo merged by agent\\nthree\\n' > shared.txt && git add shared.txt && git ${ID} commit --no-edit -q`)
        return text('OK.')
      },
    },
    claude: { apiKey: 'sk-test-e2e' },
  })
  ;({ core, page, model } = app)
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

const inProgress = () => page.locator('[data-testid="merge-in-progress"]')
const deliver = () => page.locator('[data-testid="deliver"]')

describe.runIf(hasChromium && claudeAvailable())('Ask the agent to resolve', () => {
  it('the agent resolves the conflicted file and commits the merge; the task then merges into main', async () => {
    await createTaskInUi(page, { name: 'Conflicting', plan: 'Change line two of shared.txt.', repo })
    await expect.poll(() => shownState(page), { timeout: 60_000 }).toBe('completed')
    commitFile(repo, 'shared.txt', 'one\ntwo from main\nthree\n', 'main changes line two')
    const wt = core.tasks.list({})[0]!.worktreePath!

    await deliver().getByRole('button', { name: 'Update from base' }).click()
    await expect.poll(() => inProgress().textContent(), { timeout: 15_000 }).toContain('1 conflicted file')
    await page.getByRole('button', { name: 'Ask the agent to resolve' }).click()

    // The panel follows the worktree: once the agent has committed, no merge is in progress.
    await expect.poll(() => inProgress().count(), { timeout: 90_000 }).toBe(0)
    const asked = model.conversationRequests().find((r) => JSON.stringify(r.json).includes('stopped on conflicts'))
    expect(asked).toBeTruthy()
    expect(JSON.stringify(asked!.json)).toContain('- shared.txt')
    expect(git(wt, 'show', 'HEAD:shared.txt')).toBe('one\ntwo from agent and main\nthree')
    expect(git(wt, 'rev-list', '--parents', '-n1', 'HEAD').split(' ')).toHaveLength(3) // a merge commit
    await expect.poll(() => shownState(page), { timeout: 60_000 }).toBe('completed')

    await deliver().getByRole('button', { name: 'Merge into…' }).click()
    await expect.poll(() => deliver().getByLabel('Target branch').inputValue(), { timeout: 15_000 }).toBe('main')
    await deliver().getByRole('button', { name: 'Merge', exact: true }).click()
    await expect.poll(() => page.locator('[data-testid="deliver-result"]').textContent(), { timeout: 15_000 }).toContain('into main')
    expect(git(repo, 'show', 'main:shared.txt')).toBe('one\ntwo from agent and main\nthree')
  }, 240_000)

  it("a refusal to merge clears once the branch has taken main in (here: the agent merged it on the user's word)", async () => {
    const repo2 = makeRepo(dirs, { files: { 'shared.txt': 'one\ntwo\nthree\n' } })
    await createTaskInUi(page, { name: 'Refused', plan: 'Change line two of shared.txt, please.', repo: repo2 })
    await expect.poll(() => page.locator('.task-title h1').textContent(), { timeout: 15_000 }).toBe('Refused')
    await expect.poll(() => shownState(page), { timeout: 60_000 }).toBe('completed')
    commitFile(repo2, 'shared.txt', 'one\ntwo from main\nthree\n', 'main changes line two')
    await deliver().getByRole('button', { name: 'Merge into…' }).click()
    await expect.poll(() => deliver().getByLabel('Target branch').inputValue(), { timeout: 15_000 }).toBe('main')
    await deliver().getByRole('button', { name: 'Merge', exact: true }).click()
    const result = page.locator('[data-testid="deliver-result"]')
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain('Merge main into the task first')
    expect(await result.getAttribute('class')).toContain('error')

    await page.getByLabel('Message to the agent').fill('Merge main into your branch and resolve the conflict.')
    await page.keyboard.press('Enter')
    await expect.poll(() => result.count(), { timeout: 90_000 }).toBe(0)
    await expect.poll(() => shownState(page), { timeout: 60_000 }).toBe('completed')
    const wt = core.tasks.list({}).find((t) => t.name === 'Refused')!.worktreePath!
    expect(git(wt, 'show', 'HEAD:shared.txt')).toBe('one\ntwo merged by agent\nthree')
  }, 240_000)
})
