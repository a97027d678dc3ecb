// The Terminal tab in real Chromium against a real core: xterm.js draws a real shell running in
// the task's worktree; keys go through the web bridge, output comes back flow-controlled.
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type App } from '../../fixtures/browser/app'
import { hasChromium } from '../../fixtures/browser/chromium'
import { git, makeRepo, TempDirs } from '../../fixtures/git/repos'
import { taskRecord } from '../../fixtures/store/task-record'

const TASK = '7e1a0c00-1111-4222-8333-000000000001'
const OTHER = '7e1a0c00-1111-4222-8333-000000000002'
const dirs = new TempDirs()
let app: App
let page: Page
let worktree: string
const pageErrors: string[] = []
const savedHome = process.env.HOME

/** The terminal's rows as xterm's DOM renderer draws them. */
const rows = async (): Promise<string[]> =>
  (await page.locator('.xterm-rows > div').allTextContents()).map((r) => r.replace(/\u00a0/g, ' ').trimEnd())

/** Processes (other than zombies) whose working directory is `dir`. */
function processesIn(dir: string): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (readlinkSync(`/proc/${name}/cwd`) === dir) out.push(Number(name))
    } catch {
      // gone, or not ours
    }
  }
  return out
}

/** `sleep 1000` processes running in `dir`. */
const sleepers = (dir: string): number[] =>
  processesIn(dir).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\u00001000\u0000'
    } catch {
      return false
    }
  })

const parentOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1])

beforeAll(async () => {
  // The shells start from this process's environment: an empty HOME keeps this machine's ~/.bashrc
  // (which may be slow or stuck) from holding the prompt back.
  process.env.HOME = dirs.make('makima-home-')
  const repo = makeRepo(dirs)
  worktree = join(dirs.make('makima-wt-'), 'terminal-task')
  git(repo, 'worktree', 'add', '-q', '-b', 'makima/terminal-task', worktree)
  worktree = realpathSync(worktree)
  app = await startApp({
    viewport: { width: 1400, height: 900 },
    seed: (core) => {
      core.tasks.save(taskRecord(TASK, { name: 'Terminal task', worktreePath: worktree }))
      core.tasks.save(taskRecord(OTHER, { name: 'No worktree yet' }))
    },
    // xterm.js must live with the served CSP (no eval; inline styles are allowed).
    onPage: (p) => {
      p.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(m.text())
      })
      p.on('pageerror', (e) => pageErrors.push(e.message))
    },
  })
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  if (savedHome === undefined) delete process.env.HOME
  else process.env.HOME = savedHome
  dirs.cleanup()
})

describe.runIf(hasChromium)('terminal tab', () => {
  it('runs a shell in the worktree: typed commands, their output, a flood, the exit', async () => {
    await page.locator(`[data-task-id="${TASK}"]`).click()
    await page.getByRole('tab', { name: 'Terminal' }).click()
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('shell running')
    await expect.poll(async () => (await rows()).some((r) => r.trim() !== ''), { timeout: 15_000 }).toBe(true) // the prompt
    await page.locator('.xterm').click()

    await page.keyboard.type('echo hello-from-xterm')
    await page.keyboard.press('Enter')
    await expect.poll(rows, { timeout: 15_000 }).toContain('hello-from-xterm')

    await page.keyboard.type('pwd')
    await page.keyboard.press('Enter')
    await expect.poll(rows, { timeout: 15_000 }).toContain(worktree)

    // The shell is sized to the panel, not left at 80×24.
    await page.keyboard.type('stty size')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await rows()).find((r) => /^\d+ \d+$/.test(r)), { timeout: 15_000 }).toBeTruthy()
    const [r, c] = (await rows()).find((x) => /^\d+ \d+$/.test(x))!.split(' ').map(Number)
    expect(c).toBeGreaterThan(100)
    expect(r).toBeGreaterThan(24)

    await page.keyboard.type('git status --short --branch | head -1; ls')
    await page.keyboard.press('Enter')
    await expect.poll(rows, { timeout: 15_000 }).toContain('## makima/terminal-task')
    await page.screenshot({ path: join(tmpdir(), 'makima-terminal.png') })

    // 3 MB through the bridge: only arrives if the renderer's acks keep the pty flowing.
    await page.keyboard.type("head -c 3000000 /dev/zero | tr '\\0' x; echo; echo flood-$((6*7))-done")
    await page.keyboard.press('Enter')
    await expect.poll(rows, { timeout: 30_000 }).toContain('flood-42-done')

    // Another tab and back: the same shell, still there.
    await page.getByRole('tab', { name: 'Output' }).click()
    await page.getByRole('tab', { name: 'Terminal' }).click()
    await page.locator('.xterm').click()
    await page.keyboard.type('exit 3')
    await page.keyboard.press('Enter')
    await expect.poll(rows, { timeout: 15_000 }).toContain('[process exited with code 3]')
    expect(await page.getByTestId('terminal-status').textContent()).toBe('exited (3)')
    expect(pageErrors).toEqual([])
  })

  it('shells live with the worktree: tabs, a `sleep 1000; echo` survives a task switch and a reload (same pid), closed only by the user', async () => {
    await page.getByRole('button', { name: 'New shell' }).click()
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('shell running')
    expect(await page.getByRole('tab', { name: /^Shell \d$/ }).count()).toBe(2) // the exited one stays until closed
    await page.locator('[data-testid="terminal-view"]:visible .xterm').click()
    await page.keyboard.type('sleep 1000; echo')
    await page.keyboard.press('Enter')
    await expect.poll(() => sleepers(worktree).length, { timeout: 15_000 }).toBe(1)
    const [sleep] = sleepers(worktree)
    const shellPid = Number(await page.locator('.terminal-tab.active').getAttribute('data-pid'))
    expect(parentOf(sleep!)).toBe(shellPid)

    const comeBack = async () => {
      await page.locator(`[data-task-id="${TASK}"]`).click()
      await page.getByRole('tab', { name: 'Terminal' }).click()
      await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toBe('shell running')
      // The same shell (the exited one was closed with its view), its scrollback replayed.
      expect(await page.locator('.terminal-tab').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('data-pid')))).toEqual([String(shellPid)])
      await expect.poll(async () => (await rows()).some((r) => r.includes('sleep 1000; echo')), { timeout: 15_000 }).toBe(true)
      expect(sleepers(worktree)).toEqual([sleep])
    }
    await page.locator(`[data-task-id="${OTHER}"]`).click()
    await expect.poll(() => page.locator('.task-title').textContent()).toContain('No worktree yet')
    expect(sleepers(worktree)).toEqual([sleep])
    await comeBack()
    await page.reload()
    await comeBack()

    // Typing still reaches it: ^C ends the sleep, the echo runs.
    await page.locator('[data-testid="terminal-view"]:visible .xterm').click()
    await page.keyboard.press('Control+C')
    await expect.poll(() => sleepers(worktree), { timeout: 15_000 }).toEqual([])
    await page.getByRole('button', { name: 'Close shell 1' }).click()
    await expect.poll(() => processesIn(worktree), { timeout: 15_000 }).toEqual([])
  })

  it('a task without a worktree says so', async () => {
    await page.locator(`[data-task-id="${OTHER}"]`).click()
    await page.getByRole('tab', { name: 'Terminal' }).click()
    await expect.poll(() => page.getByTestId('terminal-status').textContent(), { timeout: 15_000 }).toContain('has no worktree yet')
  })
})
