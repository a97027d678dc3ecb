// Finishing a task from the app: an agent (REAL Claude CLI, scripted model) commits work in its
// worktree; the user merges it into main, opens a pull request (fake `gh` on PATH) and removes the
// worktree — uncommitted work is saved in a WIP commit first, so nothing is lost.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../src-main/core/start'
import { startAgentApp, type AgentApp } from '../../fixtures/browser/agent-app'
import { createTaskInUi, shownState } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { claudeAvailable } from '../../fixtures/claude-env'
import { fakeGhEnv, recordedCalls } from '../../fixtures/fake-gh'
import { git, makeRepoWithRemote, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse } from '../../fixtures/model-server'

const dirs = new TempDirs()
let app: AgentApp
let core: Core
let page: Page
let repo: string
let ghLog: string

beforeAll(async () => {
  ;({ repo } = makeRepoWithRemote(dirs))
  ghLog = join(dirs.make(), 'gh.log')
  app = await startAgentApp({
    model: {
      turns: [
        toolUse('Bash', { command: 'printf "feature\\n" > feature.txt && git add feature.txt && git commit -q -m "Add feature"', description: 'commit' }),
        toolUse('Write', { file_path: 'notes.txt', content: 'uncommitted notes\n' }),
        text('Feature committed.'),
      ],
    },
    claude: { apiKey: 'sk-test' },
    core: { ghEnv: { ...process.env, ...fakeGhEnv({ logFile: ghLog, prNumber: 7 }) } },
  })
  ;({ core, page } = app)
}, 120_000)

afterAll(async () => {
  await app?.close()
  dirs.cleanup()
})

describe.runIf(hasChromium && claudeAvailable())('delivering a finished task', () => {
  it('merges into main, opens a PR, and removes the worktree without losing uncommitted work', async () => {
    await createTaskInUi(page, { name: 'Add feature', plan: 'Add feature.txt and commit it.', repo })
    await expect.poll(() => shownState(page), { timeout: 90_000 }).toBe('completed')
    const task = core.tasks.list({})[0]!
    const worktree = task.worktreePath!
    const branch = git(worktree, 'branch', '--show-current')

    const deliver = page.locator('[data-testid="deliver"]')
    await deliver.getByRole('button', { name: 'Merge into…' }).click()
    await deliver.getByLabel('Target branch').selectOption('main')
    await deliver.getByRole('button', { name: 'Merge', exact: true }).click()
    await expect.poll(() => page.locator('[data-testid="deliver-result"]').textContent(), { timeout: 30_000 }).toContain('into main')
    expect(git(repo, 'show', 'main:feature.txt')).toBe('feature')

    await deliver.getByRole('button', { name: 'Open pull request' }).click()
    await deliver.getByLabel('Pull request title').fill('Add the feature')
    await deliver.getByRole('button', { name: 'Open PR' }).click()
    await expect.poll(() => page.locator('[data-testid="deliver-result"]').textContent(), { timeout: 30_000 }).toContain('/pull/7')
    const pr = recordedCalls(ghLog).find((argv) => argv[0] === 'pr')!
    expect(pr).toEqual(expect.arrayContaining(['pr', 'create', '--title', 'Add the feature']))

    await deliver.getByRole('button', { name: 'Remove worktree' }).click()
    await deliver.getByRole('button', { name: 'Remove', exact: true }).click()
    // The task has no worktree left: the deliver bar goes, the outcome is a toast.
    await expect.poll(() => page.locator('[data-testid="toast"]').allTextContents(), { timeout: 30_000 }).toContainEqual(expect.stringContaining('Worktree removed'))
    expect(await deliver.count()).toBe(0)
    expect(existsSync(worktree)).toBe(false)
    // notes.txt was never committed by the agent: it survives in a WIP commit on the kept branch.
    expect(git(repo, 'show', `${branch}:notes.txt`)).toBe('uncommitted notes')
    expect(readFileSync(join(repo, 'src/app.txt'), 'utf8')).toBe('app\n')
  }, 180_000)
})
