// End to end with the REAL Claude Code CLI and a scripted model: a supervisor (and an
// orchestrator) whose Bash tool calls run the real `makima` CLI — through the launcher first on
// PATH, against the real tool API and the real task manager — while their subtasks' scripted
// models write files in their own worktrees.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sourceLauncherSpec, writeLauncher } from '../../../../src-main/cli/launcher'
import { controlHandlers } from '../../../../src-main/core/control/bridge-handlers'
import { withOrchestrateScript } from '../../../../src-main/core/control/orchestrate-script'
import { ControlPlane } from '../../../../src-main/core/control/plane'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { OutputRepository } from '../../../../src-main/core/store/output-repository'
import { TaskRepository } from '../../../../src-main/core/store/task-repository'
import { ClaudeAgentPort } from '../../../../src-main/core/tasks/agent-port'
import { TaskManager } from '../../../../src-main/core/tasks/manager'
import { OutputLog } from '../../../../src-main/core/tasks/output-log'
import { GitWorkspace } from '../../../../src-main/core/tasks/workspace'
import { ToolApi } from '../../../../src-main/core/tool-api/server'
import { CLAUDE_BIN, claudeAvailable, claudeEnv } from '../../../fixtures/claude-env'
import { fakeGhEnv, recordedCalls } from '../../../fixtures/fake-gh'
import { startModelServer, text, toolUse, type ModelServer, type RespondContext, type Turn } from '../../../fixtures/model-server'
import { git, waitFor } from './harness'

const REPO_ROOT = resolve(__dirname, '../../../..')

/** The conversation's first user text (which task it is) and its tool results so far. */
function conversation(ctx: RespondContext): { first: string; results: string[] } {
  const texts = (c: unknown): string =>
    typeof c === 'string' ? c : Array.isArray(c) ? (c as { type: string; text?: string; content?: unknown }[]).map((b) => b.text ?? (b.type === 'tool_result' ? texts(b.content) : '')).join('\n') : ''
  const msgs = ctx.body.messages ?? []
  const results = msgs.flatMap((m) =>
    m.role === 'user' && Array.isArray(m.content) ? (m.content as { type: string; content?: unknown }[]).filter((b) => b.type === 'tool_result').map((b) => texts(b.content)) : [],
  )
  return { first: texts(msgs[0]?.content), results }
}

const bash = (command: string): Turn => toolUse('Bash', { command, description: 'makima', timeout: 300_000 })
const idFrom = (out: string | undefined): string => {
  const m = /"taskId":\s*"([0-9a-f-]{36})"/.exec(out ?? '') ?? /^([0-9a-f-]{36})\s*$/m.exec(out ?? '')
  if (!m) throw new Error(`no task id in tool result: ${out}`)
  return m[1]!
}

interface E2E {
  root: string
  repo: string
  store: Store
  tasks: TaskRepository
  manager: TaskManager
  plane: ControlPlane
  api: ToolApi
  model: ModelServer
  ghLog: string
  lines(taskId: string): string[]
  close(): Promise<void>
}

async function makeE2E(respond: (ctx: RespondContext) => Turn | undefined): Promise<E2E> {
  const root = await mkdtemp(join(tmpdir(), 'makima-e2e-'))
  const repo = join(root, 'repo')
  execFileSync('git', ['init', '-q', '--initial-branch=main', repo])
  for (const [k, v] of [['user.name', 'Test User'], ['user.email', 'test@example.com'], ['commit.gpgsign', 'false']]) git(repo, 'config', k!, v!)
  execFileSync('sh', ['-c', 'printf "# e2e\\n" > README.md && git add -A && git commit -q -m initial'], { cwd: repo })
  execFileSync('git', ['clone', '-q', '--bare', repo, join(root, 'origin.git')])
  git(repo, 'remote', 'add', 'origin', join(root, 'origin.git'))

  const model = await startModelServer({ respond, fallback: text('DONE') })
  const env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test', home: join(root, 'home') })
  const store = await openStore({ path: join(root, 'db.sqlite') })
  const tasks = new TaskRepository(store.db)
  const output = new OutputRepository(store.db)
  const redactor = new Redactor()
  const log = new OutputLog({ repo: output, redactor })
  const binDir = join(root, 'bin')
  const launcher = await writeLauncher(sourceLauncherSpec(binDir, REPO_ROOT))
  const ghLog = join(root, 'gh.log')

  // The wiring start.ts will do: listen, build the manager with the URL, then attach the plane.
  const api = await ToolApi.start({ log: silentLogger() })
  const workspace = withOrchestrateScript(
    new GitWorkspace({ worktreesDir: join(root, 'worktrees'), reposDir: join(root, 'repos'), tempDir: join(root, 'temp'), checkpointPatches: { enabled: false, maxSizeBytes: 0 } }),
    { isOrchestrator: (id) => tasks.get(id)?.isOrchestrator ?? false, makimaCommand: launcher },
  )
  const manager = new TaskManager({
    tasks, workspace, output: log, redactor, log: silentLogger(),
    agents: new ClaudeAgentPort({ command: CLAUDE_BIN, output: log, versionEnv: env.env, killGraceMs: 2000 }),
    limits: { maxConcurrentTasks: 10, maxTasksPerContract: 10 }, apiUrl: api.url, extraPathDir: binDir, baseEnv: env.env,
    heartbeatCommitIntervalSecs: 0, healthCheckIntervalMs: 0,
  })
  const plane = new ControlPlane({ db: store.db, tasks: manager, taskStore: tasks, output, log: silentLogger(), tempDir: root, gh: { env: fakeGhEnv({ logFile: ghLog }) } })
  api.attach({ plane, tasks: manager })
  return {
    root, repo, store, tasks, manager, plane, api, model, ghLog,
    lines(taskId) {
      log.flush()
      return output.page(taskId, 0, 100_000).map((l) => `${l.kind}: ${l.data.slice(0, 400)}`)
    },
    async close() {
      await manager.shutdown()
      await api.close()
      plane.dispose()
      await log.dispose()
      store.close()
      await model.close()
      await rm(root, { recursive: true, force: true })
    },
  }
}

describe.skipIf(!claudeAvailable())('control plane end to end with the real Claude Code CLI', () => {
  let e: E2E | undefined
  afterEach(async () => {
    await e?.close()
    e = undefined
  })

  it('a supervisor branches, spawns two subtasks, waits, merges, asks, opens a PR, advances and completes', async () => {
    const supervisorScript = (r: string[]): Turn => {
      const steps: ((r: string[]) => Turn)[] = [
        () => bash('makima supervisor branch "makima/e2e-work"'),
        () => bash('makima supervisor advance-phase execute'),
        () => bash('makima supervisor spawn "Write alpha" "SUBTASK-A: create alpha.txt"'),
        () => bash('makima supervisor spawn "Write beta" "SUBTASK-B: create beta.txt"'),
        (r) => bash(`makima supervisor wait ${idFrom(r[2])} 240`),
        (r) => bash(`makima supervisor wait ${idFrom(r[3])} 240`),
        (r) => bash(`makima supervisor merge ${idFrom(r[2])} --to makima/e2e-work`),
        (r) => bash(`makima supervisor merge ${idFrom(r[3])} --to makima/e2e-work`),
        () => bash('makima supervisor ask "Ready to create PR?" --choices "Yes,No" --context "Both tasks merged"'),
        () => bash('makima supervisor pr "makima/e2e-work" --title "E2E work" --body "alpha and beta" --base main'),
        () => bash('makima supervisor complete'),
      ]
      return r.length < steps.length ? steps[r.length]!(r) : text('DONE: contract complete')
    }
    e = await makeE2E((ctx) => {
      const c = conversation(ctx)
      if (c.first.includes('SUBTASK-A')) return c.results.length === 0 ? toolUse('Write', { file_path: 'alpha.txt', content: 'alpha\n' }) : text('DONE')
      if (c.first.includes('SUBTASK-B')) return c.results.length === 0 ? toolUse('Write', { file_path: 'beta.txt', content: 'beta\n' }) : text('DONE')
      if (c.first.includes('GOAL-E2E')) return supervisorScript(c.results)
      return text('OK')
    })
    const handlers = controlHandlers(e.plane)
    const { contractId, supervisorTaskId } = await handlers.createContract({ name: 'E2E', goal: 'GOAL-E2E: alpha and beta files', type: 'simple', repoUrl: e.repo })

    const question = await waitFor(() => e!.plane.questions.list({ pendingOnly: true })[0], { timeoutMs: 150_000, what: 'the supervisor to ask' }).catch((err: unknown) => {
      console.log(e!.lines(supervisorTaskId).join('\n'))
      throw err
    })
    expect(question).toMatchObject({ taskId: supervisorTaskId, contractId, question: 'Ready to create PR?', choices: ['Yes', 'No'], context: 'Both tasks merged' })
    await handlers.answerQuestion({ questionId: question.id, answer: 'Yes' })

    await waitFor(() => e!.plane.contracts.get(contractId)?.status === 'completed', { timeoutMs: 90_000, what: 'the contract to complete' }).catch((err: unknown) => {
      console.log(e!.lines(supervisorTaskId).join('\n'))
      throw err
    })
    const c = e.plane.contracts.get(contractId)!
    expect(c).toMatchObject({ phase: 'execute', status: 'completed' })
    // Both subtasks' files are on the branch, in the repository.
    expect(git(e.repo, 'show', 'makima/e2e-work:alpha.txt')).toBe('alpha')
    expect(git(e.repo, 'show', 'makima/e2e-work:beta.txt')).toBe('beta')
    const subtasks = e.plane.tasksWhere((t) => t.contractId === contractId && !t.isSupervisor)
    expect(subtasks.map((t) => [t.name, t.state]).sort()).toEqual([['Write alpha', 'completed'], ['Write beta', 'completed']])
    expect(subtasks.every((t) => t.parentTaskId === supervisorTaskId)).toBe(true)
    expect(e.plane.merges.forOwner(contractId).map((m) => m.taskId).sort()).toEqual(subtasks.map((t) => t.id).sort())
    // The PR went through (the fake) gh, from the contract branch, and was pushed to origin.
    expect(recordedCalls(e.ghLog)).toContainEqual(['pr', 'create', '--title', 'E2E work', '--body', 'alpha and beta', '--base', 'main', '--head', 'makima/e2e-work'])
    expect(git(join(e.root, 'origin.git'), 'show', 'makima/e2e-work:alpha.txt')).toBe('alpha')
    expect(e.plane.merges.pullRequests(contractId)).toMatchObject([{ number: 42, branch: 'makima/e2e-work' }])
    // The supervisor read the user's answer from the CLI's JSON.
    const sent = JSON.stringify(e.model.conversationRequests().at(-1)!.json)
    expect(sent).toMatch(/\\"answered\\": true/)
    expect(sent).toMatch(/\\"answer\\": \\"Yes\\"/)
    expect(e.plane.contracts.phaseLog(contractId).map((p) => p.toPhase)).toEqual(['plan', 'execute'])
  }, 240_000)

  it('an orchestrator drives subtasks through .makima/orchestrate.sh, with --files and --continue-from', async () => {
    const waitLoop = (id: string) =>
      bash(`for i in $(seq 1 200); do ./.makima/orchestrate.sh status ${id} | grep -q '"isTerminal": true' && break; sleep 0.5; done; ./.makima/orchestrate.sh status ${id}`)
    const orchestratorScript = (r: string[]): Turn => {
      const steps: ((r: string[]) => Turn)[] = [
        () => bash('./.makima/orchestrate.sh list'),
        () => toolUse('Write', { file_path: 'PLAN.md', content: 'the plan\n' }),
        () => bash('./.makima/orchestrate.sh create "Step one" "ORCH-A: create one.txt" --files "PLAN.md"'),
        (r) => bash(`./.makima/orchestrate.sh start ${idFrom(r[2])}`),
        (r) => waitLoop(idFrom(r[2])),
        (r) => bash(`./.makima/orchestrate.sh create "Step two" "ORCH-B: create two.txt" --continue-from ${idFrom(r[2])}`),
        (r) => bash(`./.makima/orchestrate.sh start ${idFrom(r[5])}`),
        (r) => waitLoop(idFrom(r[5])),
        (r) => bash(`SUB=$(./.makima/orchestrate.sh worktree ${idFrom(r[5])}) && cp "$SUB/one.txt" "$SUB/two.txt" . && ls`),
        () => bash('./.makima/orchestrate.sh done "Integrated one and two"'),
      ]
      return r.length < steps.length ? steps[r.length]!(r) : text('DONE')
    }
    e = await makeE2E((ctx) => {
      const c = conversation(ctx)
      if (c.first.includes('ORCH-A')) return c.results.length === 0 ? toolUse('Write', { file_path: 'one.txt', content: 'one\n' }) : text('DONE')
      if (c.first.includes('ORCH-B')) return c.results.length === 0 ? toolUse('Write', { file_path: 'two.txt', content: 'two\n' }) : text('DONE')
      if (c.first.includes('GOAL-ORCH')) return orchestratorScript(c.results)
      return text('OK')
    })
    const orch = '0e0e0e0e-1111-4222-8333-444455556666'
    const r = await e.manager.spawn({ taskId: orch, taskName: 'Orchestrate', plan: 'GOAL-ORCH: one then two', repoUrl: e.repo, isOrchestrator: true })
    expect(r.ok).toBe(true)
    await waitFor(() => e!.manager.get(orch)?.state === 'completed' || e!.manager.get(orch)?.state === 'failed', { timeoutMs: 200_000, what: 'the orchestrator to finish' })
    const rec = e.manager.get(orch)!
    if (rec.state !== 'completed') console.log(e.lines(orch).join('\n'))
    expect(rec.state).toBe('completed')
    const wt = rec.worktreePath!
    expect(readFileSync(join(wt, '.makima', 'orchestrate.sh'), 'utf8')).toContain('orchestrate "$@"')
    expect(readFileSync(join(wt, 'one.txt'), 'utf8')).toBe('one\n')
    expect(readFileSync(join(wt, 'two.txt'), 'utf8')).toBe('two\n')
    expect(git(wt, 'status', '--porcelain').split('\n').sort()).toEqual(['?? PLAN.md', '?? one.txt', '?? two.txt'])

    const [a, b] = e.plane.planned.forParent(orch)
    expect(a).toMatchObject({ name: 'Step one', files: ['PLAN.md'], continueFromId: null })
    expect(b).toMatchObject({ name: 'Step two', continueFromId: a!.id })
    const ta = e.tasks.get(a!.id)!
    const tb = e.tasks.get(b!.id)!
    expect([ta.state, tb.state]).toEqual(['completed', 'completed'])
    expect(readFileSync(join(ta.worktreePath!, 'PLAN.md'), 'utf8')).toBe('the plan\n')
    expect(readFileSync(join(tb.worktreePath!, 'one.txt'), 'utf8')).toBe('one\n')
    expect(existsSync(join(ta.worktreePath!, 'two.txt'))).toBe(false)
    expect(e.plane.contracts.reports({ taskId: orch })).toMatchObject([{ kind: 'done', text: 'Integrated one and two' }])
  }, 240_000)
})
