// The first "done when", against what users run: the built daemon (node out/main/daemon.js)
// as a child process, its web UI in Chromium. A contract created in the UI gets a supervisor whose
// agent (REAL Claude CLI, scripted model) runs `makima supervisor branch / spawn / wait / merge /
// ask` through its Bash tool — i.e. through the launcher the built daemon wrote, running the
// bundled CLI. The question is answered in the UI and the answer reaches the agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTaskInUi } from '../../fixtures/browser/app'
import { builtUiTools, startBuiltAgentUi, type BuiltUi } from '../../fixtures/built-daemon'
import { git, makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse, type Turn } from '../../fixtures/model-server'
import { bash, conversation, idFrom } from './script'

const dirs = new TempDirs()
let ui: BuiltUi
/** The supervisor's tool results, as its model saw them (for the assertions and for diagnosis). */
let seen: string[] = []
/** Set when a makima call failed: the story cannot go on. */
let failure: string | null = null

function supervisor(results: string[]): Turn {
  seen = results
  const spawned = idFrom(results[1])
  const steps: (() => Turn)[] = [
    () => bash('makima supervisor branch "makima/built-work"'),
    () => bash('makima supervisor spawn "Write alpha" "SUBTASK-ALPHA: create alpha.txt"'),
    () => bash(`makima supervisor wait ${spawned} 240`),
    () => bash(`makima supervisor merge ${spawned} --to makima/built-work`),
    () => bash('makima supervisor ask "Ship alpha?" --choices "Yes, ship it,Not yet" --timeout 300'),
  ]
  if (results.length >= 2 && spawned === null) {
    failure = `spawn printed no task id: ${results.join('\n---\n')}`
    return text(`FAILED: ${failure}`)
  }
  return results.length < steps.length ? steps[results.length]!() : text('SUPERVISOR DONE: the user answered.')
}

describe.runIf(builtUiTools())('a supervisor in the built daemon', () => {
  beforeAll(async () => {
    ui = await startBuiltAgentUi({
      model: {
        respond: (ctx) => {
          const c = conversation(ctx)
          // The subtask's prompt may quote the contract's goal: recognise it first.
          if (c.first.includes('SUBTASK-ALPHA')) return c.results.length === 0 ? toolUse('Write', { file_path: 'alpha.txt', content: 'alpha\n' }) : text('Alpha written.')
          if (c.first.includes('GOAL-BUILT')) return supervisor(c.results)
          return text('OK')
        },
      },
      viewport: { width: 1400, height: 850 },
    })
  }, 180_000)

  afterAll(async () => {
    await ui?.close()
    dirs.cleanup()
  })

  it('spawns, waits, merges and asks through the bundled makima CLI; the question is answered in the UI', async () => {
    const { page } = ui
    const repo = makeRepo(dirs)
    await createTaskInUi(page, { name: 'Built train', plan: 'GOAL-BUILT: write alpha.txt, then ask before shipping.', repo, mode: 'contract' })
    await expect.poll(() => page.locator('[data-testid="contract-bar"]').textContent(), { timeout: 30_000 }).toContain('Built train')

    // The spawned subtask shows up in the task list and completes.
    const child = page.locator('[data-testid="task-row"]', { hasText: 'Write alpha' })
    await expect.poll(async () => failure ?? (await child.count()), { timeout: 120_000 }).toBe(1)
    await expect.poll(() => child.locator('[data-state]').getAttribute('data-state'), { timeout: 120_000 }).toBe('completed')

    const card = page.locator('[data-testid="question"]')
    await expect.poll(async () => failure ?? (await card.textContent()), { timeout: 120_000 }).toContain('Ship alpha?')
    await card.getByRole('button', { name: 'Not yet' }).click()
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => page.locator('[data-testid="output"]').textContent(), { timeout: 120_000 }).toContain('SUPERVISOR DONE')

    // What the agent read back from the CLI: the finished subtask, the merge, and the user's answer.
    expect(seen[2]).toContain('"isTerminal": true')
    expect(seen[4]).toMatch(/"answer": "Not yet"/)
    expect(git(repo, 'show', 'makima/built-work:alpha.txt')).toBe('alpha')
    // Every makima call ran the bundled CLI through the launcher in the daemon's data dir.
    expect(ui.daemon.stderr()).not.toMatch(/Cannot find module/)
  }, 420_000)
})
