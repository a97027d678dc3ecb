// A supervisor on the REAL Claude Code CLI spawns a subtask on the REAL Codex CLI (`makima supervisor
// spawn … --agent codex`, run by Claude's Bash tool through the real `makima` CLI and tool API),
// waits for it and merges it: the file Codex wrote is on the supervisor's branch. Both models are
// scripted (Anthropic Messages API and OpenAI Responses API).
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sourceLauncherSpec, writeLauncher } from '../../../../src-main/cli/launcher'
import { codexAdapter } from '../../../../src-main/core/agents/adapters/codex'
import { controlHandlers } from '../../../../src-main/core/control/bridge-handlers'
import { ControlPlane } from '../../../../src-main/core/control/plane'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { OutputRepository } from '../../../../src-main/core/store/output-repository'
import { TaskRepository } from '../../../../src-main/core/store/task-repository'
import { AgentPorts, ClaudeAgentPort, CliAgentPort } from '../../../../src-main/core/tasks/agent-port'
import { TaskManager } from '../../../../src-main/core/tasks/manager'
import { OutputLog } from '../../../../src-main/core/tasks/output-log'
import { GitWorkspace } from '../../../../src-main/core/tasks/workspace'
import { ToolApi } from '../../../../src-main/core/tool-api/server'
import { CLAUDE_BIN, claudeAvailable, claudeEnv } from '../../../fixtures/claude-env'
import { CODEX_BIN, codexAvailable, codexEnv } from '../../../fixtures/codex-env'
import { fakeGhEnv } from '../../../fixtures/fake-gh'
import { startModelServer, text, toolUse, type ModelServer, type RespondContext, type Turn } from '../../../fixtures/model-server'
import { call, say, startResponsesServer, type ResponsesServer } from '../../../fixtures/openai-responses-server'
import { git, waitFor } from './harness'

const REPO_ROOT = resolve(__dirname, '../../../..')
const PATCH = "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: codex.txt\n+written by codex\n*** End Patch\nEOF"

/** The supervisor's tool results so far (each makima call's output, in order). */
function results(ctx: RespondContext): string[] {
  const texts = (c: unknown): string => (typeof c === 'string' ? c : Array.isArray(c) ? (c as { text?: string }[]).map((b) => b.text ?? '').join('\n') : '')
  return (ctx.body.messages ?? []).flatMap((m) =>
    m.role === 'user' && Array.isArray(m.content) ? (m.content as { type: string; content?: unknown }[]).filter((b) => b.type === 'tool_result').map((b) => texts(b.content)) : [],
  )
}
const bash = (command: string): Turn => toolUse('Bash', { command, description: 'makima', timeout: 300_000 })
const idFrom = (out: string | undefined): string => {
  const m = /"taskId":\s*"([0-9a-f-]{36})"/.exec(out ?? '')
  if (!m) throw new Error(`no task id in: ${out}`)
  return m[1]!
}

let root: string
let repo: string
let store: Store
let manager: TaskManager
let plane: ControlPlane
let api: ToolApi
let log: OutputLog
let output: OutputRepository
let claudeModel: ModelServer | undefined
let openai: ResponsesServer | undefined

const ready = claudeAvailable() && codexAvailable()

beforeAll(async () => {
  if (!ready) return
  root = await mkdtemp(join(tmpdir(), 'makima-codex-sub-'))
  repo = join(root, 'repo')
  execFileSync('git', ['init', '-q', '--initial-branch=main', repo])
  for (const [k, v] of [['user.name', 'Test User'], ['user.email', 'test@example.com'], ['commit.gpgsign', 'false']]) git(repo, 'config', k!, v!)
  execFileSync('sh', ['-c', 'printf "# repo\\n" > README.md && git add -A && git commit -q -m initial'], { cwd: repo })

  const steps: ((r: string[]) => Turn)[] = [
    () => bash('makima supervisor branch "makima/mixed-work"'),
    () => bash('makima supervisor spawn "Codex writes" "SUBTASK-CODEX: create codex.txt" --agent codex'),
    (r) => bash(`makima supervisor wait ${idFrom(r[1])} 240`),
    (r) => bash(`makima supervisor merge ${idFrom(r[1])} --to makima/mixed-work`),
  ]
  claudeModel = await startModelServer({ respond: (ctx) => { const r = results(ctx); return r.length < steps.length ? steps[r.length]!(r) : text('SUPERVISOR DONE') }, fallback: text('OK') })
  // Codex's side: one patch, then its answer. Only the subtask talks to this server.
  openai = await startResponsesServer({ turns: [call('exec_command', { cmd: PATCH }), say('codex.txt written.')] })
  const home = join(root, 'home')
  const claude = await claudeEnv({ baseUrl: claudeModel.url, apiKey: 'sk-test', home })
  const codex = await codexEnv({ baseUrl: openai.url, home })
  const env = { ...claude.env, OPENAI_API_KEY: codex.env.OPENAI_API_KEY! }

  store = await openStore({ path: join(root, 'db.sqlite') })
  const tasks = new TaskRepository(store.db)
  output = new OutputRepository(store.db)
  log = new OutputLog({ repo: output, redactor: new Redactor() })
  const binDir = join(root, 'bin')
  await writeLauncher(sourceLauncherSpec(binDir, REPO_ROOT))
  api = await ToolApi.start({ log: silentLogger() })
  const workspace = new GitWorkspace({ worktreesDir: join(root, 'worktrees'), reposDir: join(root, 'repos'), tempDir: join(root, 'temp'), checkpointPatches: { enabled: false, maxSizeBytes: 0 } })
  const agents = new AgentPorts({
    claude: new ClaudeAgentPort({ command: CLAUDE_BIN, output: log, versionEnv: env, killGraceMs: 2000 }),
    codex: new CliAgentPort(codexAdapter, { command: CODEX_BIN, output: log, versionEnv: env, killGraceMs: 2000 }),
  })
  manager = new TaskManager({
    tasks, workspace, output: log, redactor: new Redactor(), log: silentLogger(), agents,
    limits: { maxConcurrentTasks: 10, maxTasksPerContract: 10 }, apiUrl: api.url, extraPathDir: binDir, baseEnv: env,
    heartbeatCommitIntervalSecs: 0, healthCheckIntervalMs: 0,
  })
  plane = new ControlPlane({ db: store.db, tasks: manager, taskStore: tasks, output, log: silentLogger(), tempDir: root, gh: { env: fakeGhEnv({ logFile: join(root, 'gh.log') }) } })
  api.attach({ plane, tasks: manager })
}, 120_000)

afterAll(async () => {
  await manager?.shutdown()
  await api?.close()
  plane?.dispose()
  await log?.dispose()
  store?.close()
  await claudeModel?.close()
  await openai?.close()
  if (root) await rm(root, { recursive: true, force: true })
})

const transcript = async (taskId: string) => {
  await log.flush()
  return output.page(taskId, 0, 100_000).map((l) => `${l.kind}: ${l.data.slice(0, 400)}`).join('\n')
}

describe.runIf(ready)('a Claude supervisor with a Codex subtask', () => {
  it('spawns the subtask on Codex, waits for it and merges the file Codex wrote into its branch', async () => {
    const { contractId, supervisorTaskId } = await controlHandlers(plane).createContract({ name: 'Mixed', goal: 'GOAL-MIXED: have Codex write codex.txt', type: 'simple', repoUrl: repo })
    // A supervisor stays ready for the next instruction: its last scripted words mark the end.
    await waitFor(async () => (await transcript(supervisorTaskId)).includes('SUPERVISOR DONE'), { timeoutMs: 200_000, what: 'the supervisor to merge and say it is done' }).catch(async (err: unknown) => {
      console.log(await transcript(supervisorTaskId))
      throw err
    })
    const [sub] = plane.tasksWhere((t) => t.contractId === contractId && !t.isSupervisor)
    expect(sub).toMatchObject({ name: 'Codex writes', agent: 'codex', state: 'completed', parentTaskId: supervisorTaskId })
    // The subtask really ran on Codex (its thread id is the session), against the Responses server.
    expect(openai!.requests.length).toBeGreaterThanOrEqual(2)
    expect(await transcript(sub!.id)).toContain('"type":"thread.started"')
    expect(git(repo, 'show', 'makima/mixed-work:codex.txt')).toBe('written by codex')
    expect(plane.merges.forOwner(contractId).map((m) => m.taskId)).toEqual([sub!.id])
  }, 300_000)
})
