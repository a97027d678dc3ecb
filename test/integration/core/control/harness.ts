// A real control plane for tests: a real SQLite file, a real tool API on 127.0.0.1, real git
// repositories (with a bare `origin` for pushes) and a port implementation of the task manager
// that makes real worktrees but runs no agent — the test decides when a task finishes.
import { execFileSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ControlPlane } from '../../../../src-main/core/control/plane'
import type { PortResult, TaskPort } from '../../../../src-main/core/control/ports'
import { copyFilesBetweenWorktrees, createWorktree, createWorktreeFromTask } from '../../../../src-main/core/git'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { OutputRepository } from '../../../../src-main/core/store/output-repository'
import { TaskRepository, type TaskRecord } from '../../../../src-main/core/store/task-repository'
import { SpawnTaskRequestSchema, type SpawnTaskInput, type TaskEvent } from '../../../../src-main/core/tasks/types'
import { ToolApi } from '../../../../src-main/core/tool-api/server'
import type { TaskState } from '../../../../src-preload/contract'
import { fakeGhEnv } from '../../../fixtures/fake-gh'

/** The task manager's surface, over the real TaskRepository, without agents. */
export class PortTaskManager implements TaskPort {
  readonly spawned: SpawnTaskInput[] = []
  private readonly listeners = new Set<(e: TaskEvent) => void>()
  private readonly keys = new Map<string, string>()
  failNextSpawn: string | null = null

  constructor(
    private readonly repo: TaskRepository,
    private readonly worktreesDir: string,
  ) {}

  onEvent(l: (e: TaskEvent) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  emit(e: TaskEvent): void {
    for (const l of this.listeners) l(e)
  }

  get(taskId: string): TaskRecord | undefined {
    return this.repo.get(taskId)
  }

  list(): TaskRecord[] {
    return this.repo.list()
  }

  keyOf(taskId: string): string {
    const k = this.keys.get(taskId)
    if (!k) throw new Error(`no tool key for ${taskId}`)
    return k
  }

  async spawn(input: SpawnTaskInput): Promise<PortResult<{ taskId: string }>> {
    this.spawned.push(input)
    if (this.failNextSpawn) {
      const message = this.failNextSpawn
      this.failNextSpawn = null
      return { ok: false, code: 'concurrency-limit', message }
    }
    const parsed = SpawnTaskRequestSchema.safeParse(input)
    if (!parsed.success) return { ok: false, code: 'invalid-request', message: parsed.error.issues[0]?.message ?? 'invalid' }
    const req = parsed.data
    let worktreePath: string | null = null
    if (req.repoUrl) {
      const from = req.continueFromTaskId ? this.repo.get(req.continueFromTaskId)?.worktreePath : null
      if (from) {
        const r = await createWorktreeFromTask({ sourceWorktree: from, worktreesDir: this.worktreesDir, taskId: req.taskId, name: req.taskName })
        if (r.kind !== 'created') return { ok: false, code: 'invalid-request', message: `worktree: ${r.kind}` }
        worktreePath = r.worktree.path
      } else {
        const r = await createWorktree({ repoPath: req.repoUrl, worktreesDir: this.worktreesDir, taskId: req.taskId, name: req.taskName, baseRef: req.baseBranch })
        if (r.kind !== 'created') return { ok: false, code: 'invalid-request', message: `worktree: ${r.kind}` }
        worktreePath = r.worktree.path
      }
      const parent = req.parentTaskId ? this.repo.get(req.parentTaskId)?.worktreePath : null
      if (parent && req.copyFiles?.length) await copyFilesBetweenWorktrees({ fromRoot: parent, toRoot: worktreePath, files: req.copyFiles })
    }
    const now = new Date().toISOString()
    this.repo.save({
      id: req.taskId, name: req.taskName, state: 'running', plan: req.plan, repoUrl: req.repoUrl ?? null, baseBranch: req.baseBranch ?? null,
      targetBranch: req.targetBranch ?? null, targetRepoPath: null, completionAction: null, parentTaskId: req.parentTaskId ?? null, depth: req.depth,
      contractId: req.contractId ?? null, continueFromTaskId: req.continueFromTaskId ?? null, copyFiles: req.copyFiles ?? null,
      isOrchestrator: req.isOrchestrator, isSupervisor: req.isSupervisor, autonomousLoop: false, worktreePath, agentSessionId: null,
      patchBaseSha: null, spawnJson: JSON.stringify(req), errorMessage: null, exitCode: null, createdAt: now, startedAt: now, completedAt: null, updatedAt: now,
    })
    this.emit({ type: 'taskStatusChange', taskId: req.taskId, oldStatus: 'pending', newStatus: 'running' })
    if (req.isSupervisor || req.isOrchestrator || req.contractId) {
      const key = randomBytes(32).toString('hex')
      this.keys.set(req.taskId, key)
      this.emit({ type: 'registerToolKey', taskId: req.taskId, key })
    }
    return { ok: true, value: { taskId: req.taskId } }
  }

  /** Ends a task the way the manager does: state, taskComplete, key revoked. */
  finish(taskId: string, state: Extract<TaskState, 'completed' | 'failed' | 'interrupted'> = 'completed'): void {
    const t = this.repo.get(taskId)!
    this.repo.save({ ...t, state, completedAt: new Date().toISOString(), updatedAt: new Date().toISOString() })
    this.emit({ type: 'taskStatusChange', taskId, oldStatus: t.state, newStatus: state })
    this.emit({ type: 'taskComplete', taskId, success: state === 'completed' })
    if (this.keys.delete(taskId)) this.emit({ type: 'revokeToolKey', taskId })
  }

  async interrupt(taskId: string): Promise<PortResult> {
    if (!this.repo.get(taskId)) return { ok: false, code: 'not-found', message: `Task ${taskId} not found` }
    this.finish(taskId, 'interrupted')
    return { ok: true, value: undefined }
  }

  sendMessage(): PortResult {
    return { ok: true, value: undefined }
  }
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1' } }).trim()
}

export interface ControlHarness {
  root: string
  store: Store
  taskRepo: TaskRepository
  output: OutputRepository
  port: PortTaskManager
  plane: ControlPlane
  api: ToolApi
  /** A repository on main with one commit and an `origin` (bare) to push to. */
  repo: string
  ghLog: string
  questionEvents: string[]
  contractEvents: string[]
  /** Creates a contract through the plane (as the bridge does); its supervisor gets a worktree and a key. */
  contract(type?: 'simple' | 'specification', name?: string): Promise<{ contractId: string; supervisorId: string; key: string }>
  /** Environment for the CLI, as a task of this daemon would get it. */
  cliEnv(taskId: string, contractId?: string | null): Record<string, string>
  close(): Promise<void>
}

export async function makeControlHarness(o: { maxBodyBytes?: number; maxWaitMs?: number } = {}): Promise<ControlHarness> {
  const root = await mkdtemp(join(tmpdir(), 'makima-control-'))
  const repo = join(root, 'repo')
  execFileSync('git', ['init', '-q', '--initial-branch=main', repo])
  git(repo, 'config', 'user.name', 'Test User')
  git(repo, 'config', 'user.email', 'test@example.com')
  git(repo, 'config', 'commit.gpgsign', 'false')
  execFileSync('sh', ['-c', 'printf "# test\\n" > README.md'], { cwd: repo })
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'initial')
  execFileSync('git', ['clone', '-q', '--bare', repo, join(root, 'origin.git')])
  git(repo, 'remote', 'add', 'origin', join(root, 'origin.git'))

  const store = await openStore({ path: join(root, 'db.sqlite') })
  const taskRepo = new TaskRepository(store.db)
  const output = new OutputRepository(store.db)
  const port = new PortTaskManager(taskRepo, join(root, 'worktrees'))
  const ghLog = join(root, 'gh.log')
  const questionEvents: string[] = []
  const contractEvents: string[] = []
  const plane = new ControlPlane({
    db: store.db, tasks: port, taskStore: taskRepo, output, log: silentLogger(), tempDir: root,
    gh: { env: fakeGhEnv({ logFile: ghLog }) },
    onQuestionUpdated: (q) => questionEvents.push(`${q.id}:${q.state}`),
    onContractUpdated: (c) => contractEvents.push(`${c.id}:${c.phase}:${c.status}`),
  })
  const api = await ToolApi.serve({ plane, tasks: port, log: silentLogger(), maxBodyBytes: o.maxBodyBytes, maxWaitMs: o.maxWaitMs })
  return {
    root, store, taskRepo, output, port, plane, api, repo, ghLog, questionEvents, contractEvents,
    async contract(type = 'simple', name = 'Add things') {
      const r = await plane.createContract({ name, goal: `Goal of ${name}`, type, repoUrl: repo })
      if (!r.ok) throw new Error(r.message)
      return { contractId: r.value.contractId, supervisorId: r.value.supervisorTaskId, key: port.keyOf(r.value.supervisorTaskId) }
    },
    cliEnv(taskId, contractId) {
      return {
        MAKIMA_API_URL: api.url, MAKIMA_API_KEY: port.keyOf(taskId), MAKIMA_TASK_ID: taskId,
        ...(contractId ? { MAKIMA_CONTRACT_ID: contractId } : {}),
      }
    },
    async close() {
      await api.close()
      plane.dispose()
      store.close()
      await rm(root, { recursive: true, force: true })
    },
  }
}

export const newId = (): string => randomUUID()

export async function waitFor<T>(cond: () => T | undefined | null | false | Promise<T | undefined | null | false>, opts: { timeoutMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000)
  for (;;) {
    const v = await cond()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
