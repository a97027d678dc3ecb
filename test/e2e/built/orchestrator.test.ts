// An orchestrator in the built daemon (node out/main/daemon.js), created in its web UI: the agent
// (REAL Claude CLI, scripted model) drives a subtask through the `.makima/orchestrate.sh` the
// daemon put in its worktree — create, start, poll status, copy the result, done — which runs the
// bundled makima CLI. The UI shows the subtask under its orchestrator, both completed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTaskInUi } from '../../fixtures/browser/app'
import { builtUiTools, startBuiltAgentUi, type BuiltUi } from '../../fixtures/built-daemon'
import { makeRepo, TempDirs } from '../../fixtures/git/repos'
import { text, toolUse, type Turn } from '../../fixtures/model-server'
import { bash, conversation, idFrom } from './script'

const dirs = new TempDirs()
let ui: BuiltUi
let seen: string[] = []
let failure: string | null = null

// The agent's own polling loop (what an orchestrator's model writes); the test waits on the UI.
const waitLoop = (id: string): Turn =>
  bash(`for i in $(seq 1 400); do ./.makima/orchestrate.sh status ${id} | grep -q '"isTerminal": true' && break; sleep 0.5; done; ./.makima/orchestrate.sh status ${id}`)

function orchestrator(results: string[]): Turn {
  seen = results
  const sub = idFrom(results[0])
  if (results.length >= 1 && sub === null) {
    failure = `create printed no task id: ${results.join('\n---\n')}`
    return text(`FAILED: ${failure}`)
  }
  const steps: (() => Turn)[] = [
    () => bash('./.makima/orchestrate.sh create "Write one" "ORCH-ONE: create one.txt"'),
    () => bash(`./.makima/orchestrate.sh start ${sub}`),
    () => waitLoop(sub!),
    () => bash(`SUB=$(./.makima/orchestrate.sh worktree ${sub}) && cp "$SUB/one.txt" . && cat one.txt`),
    () => bash('./.makima/orchestrate.sh done "Integrated one.txt"'),
  ]
  return results.length < steps.length ? steps[results.length]!() : text('ORCHESTRATOR DONE')
}

describe.runIf(builtUiTools())('an orchestrator in the built daemon', () => {
  beforeAll(async () => {
    ui = await startBuiltAgentUi({
      model: {
        respond: (ctx) => {
          const c = conversation(ctx)
          if (c.first.includes('ORCH-ONE')) return c.results.length === 0 ? toolUse('Write', { file_path: 'one.txt', content: 'one\n' }) : text('One written.')
          if (c.first.includes('GOAL-ORCH')) return orchestrator(c.results)
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

  it('creates, starts and integrates a subtask through .makima/orchestrate.sh', async () => {
    const { page } = ui
    await createTaskInUi(page, { name: 'Built orchestra', plan: 'GOAL-ORCH: split the work.', repo: makeRepo(dirs), mode: 'orchestrator' })

    const row = (name: string) => page.locator('[data-testid="task-row"]', { hasText: name })
    await expect.poll(async () => failure ?? (await row('Write one').count()), { timeout: 120_000 }).toBe(1)
    await expect.poll(() => row('Write one').locator('[data-state]').getAttribute('data-state'), { timeout: 120_000 }).toBe('completed')
    await expect.poll(async () => failure ?? (await row('Built orchestra').locator('[data-state]').getAttribute('data-state')), { timeout: 120_000 }).toBe('completed')

    // The subtask's row is nested under its orchestrator (indented).
    const indent = async (name: string) => parseInt((await row(name).getAttribute('style'))?.match(/padding-left:\s*(\d+)/)?.[1] ?? '0', 10)
    expect(await indent('Write one')).toBeGreaterThan(await indent('Built orchestra'))
    expect(seen[2]).toContain('"isTerminal": true')
    expect(seen[3]?.trim()).toBe('one') // cat one.txt, copied from the subtask's worktree
    expect(seen[4]).not.toMatch(/error|not found/i)
  }, 420_000)
})
