// The control plane: contracts, their phases, documents, reports and questions, and the task
// lookups every door shares. Operations take a caller (the task whose tool key was presented, or
// the user through the bridge) and return values; scope checks for tool keys live in tool-api.
import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { Logger } from '../log/logger'
import type { TaskRecord } from '../store/task-repository'
import { TERMINAL_STATES } from '../../../src-preload/contract'
import { ContractRepository, type ContractRecord } from './contract-repository'
import { checkComplete, checkPhaseMove, initialPhase, nextPhase, phasesOf, type ContractType } from './phases'
import type { GhOptions, OutputStorePort, TaskPort, TaskStorePort } from './ports'
import { QuestionBroker } from './question-broker'
import { CheckpointRepository, MergeTrackerRepository, PlannedTaskRepository, QuestionRepository, type QuestionRecord } from './records-repository'
import { done, fail, type Op } from './result'
import { readableLine, taskView, type TaskView } from './views'

export interface Caller {
  taskId: string
  task: TaskRecord
}

export interface ControlPlaneOptions {
  db: Database.Database
  tasks: TaskPort
  taskStore: TaskStorePort
  output: OutputStorePort
  log: Logger
  gh?: GhOptions
  /** Where temporary merge worktrees go (default the OS temp dir). */
  tempDir?: string
  onContractUpdated?: (c: ContractRecord) => void
  onQuestionUpdated?: (q: QuestionRecord) => void
  /** Whether a subtask may name this agent (built-in or custom); default: the built-in ones. */
  knownAgent?: (name: string) => boolean
}

export interface CreateContractInput {
  name: string
  goal: string
  type: ContractType
  repoUrl: string
  targetBranch?: string
}

export class ControlPlane {
  readonly contracts: ContractRepository
  readonly checkpoints: CheckpointRepository
  readonly merges: MergeTrackerRepository
  readonly planned: PlannedTaskRepository
  readonly questions: QuestionBroker
  private readonly unsubscribe: () => void

  constructor(readonly opts: ControlPlaneOptions) {
    this.contracts = new ContractRepository(opts.db)
    this.checkpoints = new CheckpointRepository(opts.db)
    this.merges = new MergeTrackerRepository(opts.db)
    this.planned = new PlannedTaskRepository(opts.db)
    this.questions = new QuestionBroker({ repo: new QuestionRepository(opts.db), onUpdate: (q) => opts.onQuestionUpdated?.(q) })
    this.questions.restore()
    this.unsubscribe = opts.tasks.onEvent((e) => {
      if (e.type === 'checkpointCreated' && e.success && e.commitSha) {
        const t = this.task(e.taskId)
        this.checkpoints.add({
          taskId: e.taskId, contractId: t?.contractId ?? null, sha: e.commitSha, branch: e.branchName ?? null, message: e.message,
          linesAdded: e.linesAdded ?? null, linesRemoved: e.linesRemoved ?? null, files: e.filesChanged ?? [],
        })
      }
      // A task that ended no longer waits for its questions.
      if (e.type === 'taskComplete' || (e.type === 'taskStatusChange' && TERMINAL_STATES.includes(e.newStatus))) this.questions.cancelForTask(e.taskId)
    })
  }

  dispose(): void {
    this.unsubscribe()
    this.questions.dispose()
  }

  // ── Tasks ──

  task(taskId: string): TaskRecord | undefined {
    return this.opts.tasks.get(taskId) ?? this.opts.taskStore.get(taskId)
  }

  /** Every known task (live first, then stored), filtered. */
  tasksWhere(pred: (t: TaskRecord) => boolean): TaskRecord[] {
    const seen = new Map<string, TaskRecord>()
    for (const t of this.opts.tasks.list()) if (pred(t)) seen.set(t.id, t)
    for (const t of this.opts.taskStore.list({ limit: 100_000 })) if (!seen.has(t.id) && pred(t)) seen.set(t.id, t)
    return [...seen.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  /** The task, if the caller may see it: its own, one of its contract, or one of its children. */
  visibleTask(caller: Caller, taskId: string): Op<TaskRecord> {
    const t = this.task(taskId)
    if (!t) return fail('not-found', `Task ${taskId} not found`)
    const sameContract = caller.task.contractId !== null && t.contractId === caller.task.contractId
    if (t.id === caller.taskId || sameContract || t.parentTaskId === caller.taskId) return done(t)
    return fail('forbidden', `Task ${taskId} is outside this task's contract`)
  }

  /** Resolves once the task is in a terminal state, or after maxMs with its state then. */
  waitForTask(taskId: string, maxMs: number, signal?: AbortSignal): Promise<TaskRecord | undefined> {
    const now = this.task(taskId)
    if (!now || TERMINAL_STATES.includes(now.state) || maxMs <= 0) return Promise.resolve(now)
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        off()
        signal?.removeEventListener('abort', finish)
        resolve(this.task(taskId))
      }
      const off = this.opts.tasks.onEvent((e) => {
        if (e.taskId !== taskId) return
        const t = this.task(taskId)
        if (t && TERMINAL_STATES.includes(t.state)) finish()
      })
      const timer = setTimeout(finish, maxMs)
      signal?.addEventListener('abort', finish, { once: true })
    })
  }

  taskOutput(taskId: string, limit = 200): { taskId: string; total: number; output: string[] } {
    const total = this.opts.output.count(taskId)
    // The last `limit` readable lines: read a generous tail, then keep what reads as text.
    const rows = this.opts.output.page(taskId, Math.max(0, total - limit * 4), limit * 4)
    const output = rows.flatMap((r) => {
      const line = readableLine(r.kind, r.data)
      return line === null ? [] : [line]
    })
    return { taskId, total, output: output.slice(-limit) }
  }

  // ── Contracts ──

  async createContract(input: CreateContractInput): Promise<Op<{ contractId: string; supervisorTaskId: string }>> {
    const contractId = randomUUID()
    const supervisorTaskId = randomUUID()
    const c = this.contracts.insert({
      id: contractId, name: input.name, type: input.type, phase: initialPhase(input.type), status: 'active', goal: input.goal,
      repoUrl: input.repoUrl, targetBranch: input.targetBranch ?? null, supervisorTaskId,
    })
    const r = await this.opts.tasks.spawn({
      taskId: supervisorTaskId, taskName: `Supervisor: ${input.name}`.slice(0, 500), plan: input.goal, repoUrl: input.repoUrl,
      isSupervisor: true, contractId, ...(input.targetBranch ? { targetBranch: input.targetBranch } : {}),
    })
    if (!r.ok) {
      this.contracts.setSupervisor(contractId, null)
      this.opts.onContractUpdated?.(this.contracts.get(contractId)!)
      return fail('unavailable', `The contract was created but its supervisor could not start: ${r.message}`)
    }
    this.opts.onContractUpdated?.(c)
    return done({ contractId, supervisorTaskId })
  }

  contract(contractId: string): Op<ContractRecord> {
    const c = this.contracts.get(contractId)
    return c ? done(c) : fail('not-found', `Contract ${contractId} not found`)
  }

  advancePhase(contractId: string, phase: string, by: string): Op<ContractRecord> {
    const c = this.contracts.get(contractId)
    if (!c) return fail('not-found', `Contract ${contractId} not found`)
    const move = checkPhaseMove(c, phase)
    if (!move.ok) return fail('conflict', move.reason)
    const updated = this.contracts.setPhase(contractId, move.from, move.to, by)
    this.opts.onContractUpdated?.(updated)
    return done(updated)
  }

  complete(contractId: string): Op<ContractRecord> {
    const c = this.contracts.get(contractId)
    if (!c) return fail('not-found', `Contract ${contractId} not found`)
    const check = checkComplete(c)
    if (!check.ok) return fail('conflict', check.reason)
    const updated = this.contracts.complete(contractId)
    this.opts.onContractUpdated?.(updated)
    return done(updated)
  }

  /** `status`: the contract, where it stands, and its tasks at a glance. */
  status(contractId: string): Op<Record<string, unknown>> {
    const c = this.contracts.get(contractId)
    if (!c) return fail('not-found', `Contract ${contractId} not found`)
    const tasks = this.tasksWhere((t) => t.contractId === contractId && !t.isSupervisor)
    const count = (states: readonly string[]) => tasks.filter((t) => states.includes(t.state)).length
    return done({
      contractId: c.id, name: c.name, type: c.type, phase: c.phase, status: c.status, goal: c.goal, repoUrl: c.repoUrl,
      targetBranch: c.targetBranch, supervisorTaskId: c.supervisorTaskId, phases: phasesOf(c.type), nextPhase: nextPhase(c.type, c.phase),
      tasks: { total: tasks.length, active: count(['initializing', 'starting', 'running', 'paused']), completed: count(['completed']), failed: count(['failed', 'interrupted']) },
      merged: this.merges.forOwner(c.id).filter((m) => m.kind === 'merged').map((m) => m.taskId),
      pullRequests: this.merges.pullRequests(c.id).map((p) => ({ url: p.url, number: p.number, branch: p.branch, base: p.base })),
      files: this.contracts.listFiles(c.id).map((f) => ({ id: f.id, name: f.name })),
      createdAt: c.createdAt, updatedAt: c.updatedAt, completedAt: c.completedAt,
    })
  }

  contractTasks(contractId: string): TaskView[] {
    return this.tasksWhere((t) => t.contractId === contractId).map(taskView)
  }

  // ── Questions ──

  ask(caller: Caller, q: { question: string; choices?: string[]; context?: string | null; timeoutSeconds?: number }): QuestionRecord {
    return this.questions.ask({ taskId: caller.taskId, contractId: caller.task.contractId, ...q })
  }

  /** The question, if it is the caller's own. */
  ownQuestion(caller: Caller, questionId: string): Op<QuestionRecord> {
    const q = this.questions.get(questionId)
    if (!q) return fail('not-found', `Question ${questionId} not found`)
    if (q.taskId !== caller.taskId) return fail('forbidden', `Question ${questionId} was asked by another task`)
    return done(q)
  }

  answer(questionId: string, answer: string): Op<QuestionRecord> {
    const r = this.questions.answer(questionId, answer)
    if (r.ok) return done(r.question)
    return fail(r.code === 'not-found' ? 'not-found' : 'conflict', r.message)
  }
}

/** The JSON an agent reads once its question is settled (or still pending after a wait). */
export function questionAnswerView(q: QuestionRecord): Record<string, unknown> {
  const base = { questionId: q.id, question: q.question, choices: q.choices, status: q.state }
  switch (q.state) {
    case 'answered':
      return { ...base, answered: true, answer: q.answer, answeredAt: q.answeredAt }
    case 'timed-out':
      return { ...base, answered: false, answer: null, timedOut: true, message: `No answer from the user within ${q.timeoutSeconds} seconds. Decide on your own or ask again later.` }
    case 'cancelled':
      return { ...base, answered: false, answer: null, message: 'The question was cancelled.' }
    case 'pending':
      return { ...base, answered: false, answer: null, expiresAt: q.expiresAt }
  }
}
