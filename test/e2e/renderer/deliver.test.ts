// Finishing a task from the app: an agent (REAL Claude CLI, scripted model) commits work in its
// worktree; the user merges it into main, opens a pull request (fake `gh` on PATH) and removes the
// worktree — uncommitted work is saved in a WIP commit first, so nothing is lost.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src-main/core/config/load'
import { startCore, type Core } from '../../../src-main/core/start'
import { startWebServer, type WebServer } from '../../../src-main/core/web/server'
import { buildRenderer, hasChromium, launchChromium } from '../../fixtures/browser/chromium'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../fixtures/claude-env'
import { fakeGhEnv, recordedCalls } from '../../fixtures/fake-gh'
import { git, makeRepoWithRemote, TempDirs } from '../../fixtures/git/repos'
import { startModelServer, text, toolUse, type ModelServer } from '../../fixtures/model-server'

const dirs = new TempDirs()
let core: Core
let web: WebServer
let browser: Browser
let page: Page
let model: ModelServer
let env: ClaudeEnv
let repo: string
let ghLog: string

beforeAll(async () => {
  ;({ repo } = makeRepoWithRemote(dirs))
  ghLog = join(dirs.make(), 'gh.log')
  model = await startModelServer({
    turns: [
      toolUse('Bash', { command: 'printf "feature\\n" > feature.txt && git add feature.txt && git commit -q -m "Add feature"', description: 'commit' }),
      toolUse('Write', { file_path: 'notes.txt', content: 'uncommitted notes\n' }),
      text('Feature committed.'),
    ],
  })
  env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
  const data = await mkdtemp(join(tmpdir(), 'makima-e2e-'))
  const loaded = await loadConfig({ argv: ['--data-dir', data], env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }, cwd: data, home: data, etcDir: data })
  if (loaded.kind !== 'config') throw new Error('no config')
  core = await startCore(loaded.config, { mode: 'daemon', stderr: null, agentEnv: env.env, ghEnv: { ...process.env, ...fakeGhEnv({ logFile: ghLog, prNumber: 7 }) } })
  web = await startWebServer({ rendererDir: await buildRenderer(), dispatch: core.dispatch, events: core.events, log: core.log })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(web.url)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await web?.close()
  await core?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

describe.runIf(hasChromium && claudeAvailable())('delivering a finished task', () => {
  it('merges into main, opens a PR, and removes the worktree without losing uncommitted work', async () => {
    await page.locator('[data-testid="new-task"]').click()
    await page.getByLabel('Name', { exact: true }).fill('Add feature')
    await page.getByLabel('Plan', { exact: true }).fill('Add feature.txt and commit it.')
    await page.getByLabel('Repository', { exact: true }).fill(repo)
    await page.getByRole('button', { name: 'Start agent' }).click()
    await expect.poll(() => page.locator('.task-title [data-state]').getAttribute('data-state'), { timeout: 90_000 }).toBe('completed')
    const task = core.tasks.list({})[0]!
    const worktree = task.worktreePath!
    const branch = git(worktree, 'branch', '--show-current')

    const deliver = page.locator('[data-testid="deliver"]')
    await deliver.getByRole('button', { name: 'Merge into…' }).click()
    await deliver.getByLabel('Target branch').fill('main')
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
    await expect.poll(() => page.locator('[data-testid="deliver-result"]').textContent(), { timeout: 30_000 }).toContain('Worktree removed')
    expect(existsSync(worktree)).toBe(false)
    // notes.txt was never committed by the agent: it survives in a WIP commit on the kept branch.
    expect(git(repo, 'show', `${branch}:notes.txt`)).toBe('uncommitted notes')
    expect(readFileSync(join(repo, 'src/app.txt'), 'utf8')).toBe('app\n')
  }, 180_000)
})
