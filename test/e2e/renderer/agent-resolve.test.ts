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
import { text, toolUse, type ModelServer, type Turn } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: AgentApp
let core: Core
let page: Page
let model: ModelServer
let repo: string

const ID = '-c user.name=Agent -c user.email=agent@example.com'

beforeAll(async () => {
  repo = makeRepo(dirs, { files: { 'shared.txt': 'one\ntwo\nthree\n' } })
  app = await startAgentApp({
    model: {
      respond: (ctx): Turn => {
        if (ctx.turnIndex === 0) return toolUse('Bash', { command: `printf 'one\\ntwo from agent\\nthree\\n' > shared.txt && git add shared.txt && git ${ID} commit -qm 'agent changes line two'` })
        if (ctx.turnIndex === 1) return text('Changed line two.')
        // The follow-up: resolve the file the message names and finish the merge.
        if (!ctx.lastMessageHasToolResult && ctx.lastUserText.includes('shared.txt'))
          return toolUse('Bash', { command: `printf 'one\\ntwo from agent and main\\nthree\\n' > shared.txt && git add shared.txt && git ${ID} commit --no-edit -q` })
        return text('Resolved the conflict and committed the merge.')
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
})
