// The task manager: the one place every door (UI, server, in-task CLI) turns into task actions.
// It owns the tasks it runs, their concurrency slots, tool keys, timers and agent processes;
// persists every state change (TaskRepository) and emits it as an event (types.ts).
import type { TaskRecord } from '../store/task-repository'
import { checkRequestRoots } from './allowed-roots'
import { finishRun } from './completion'
import { ConcurrencyLimiter } from './concurrency'
import { createRunHost, keepEndedTimings, timingsView, type ManagedTask, type RunHost, type TaskTimings } from './host'
import type { TaskManagerOptions } from './manager-options'
import type { GitIdentity } from './ports'
import { checkWorktreeHealth } from './worktree-health'
import { recoverOrphans, type RecoveredTask, type RecoveryReport } from './recovery'
import { runTask, type RunStart } from './run-loop'
import { forgetTask, patchRecord, type RecordPatch } from './record-changes'
import { isTerminal, ok, refuse, type CommandResult, type TaskOutcome, type TaskState } from './state'
import { endedTaskFromRecord, newManagedTask } from './task-records'
import { acceptSpawnRequest } from './spawn-request'
import { ToolKeys } from './tool-keys'
export type { TaskManagerOptions } from './manager-options'
import type { SpawnTaskRequest, TaskEvent } from './types'

export class TaskManager {
  private readonly tasks = new Map<string, ManagedTask>()
  /** Timings of the last ended tasks, once the tasks themselves are forgotten (bounded). */
  private readonly endedTimings = new Map<string, TaskTimings>()
  private readonly recovered = new Map<string, RecoveredTask>()
  private readonly listeners = new Set<(e: TaskEvent) => void>()
  private readonly limiter: ConcurrencyLimiter
  private readonly keys: ToolKeys
  private readonly host: RunHost
  private readonly unsubscribeOutput: () => void
  private healthTimer: NodeJS.Timeout | undefined
  private stopping = false
  private identity: GitIdentity | null = null

  constructor(private readonly opts: TaskManagerOptions) {
    this.limiter = new ConcurrencyLimiter(opts.limits)
    this.keys = new ToolKeys(opts.redactor)
    this.unsubscribeOutput = opts.output.onBatch((taskId, lines) => this.emit({ type: 'taskOutputBatch', taskId, lines }))
    this.host = createRunHost({
      opts, keys: this.keys, tasks: this.tasks, identity: () => this.identity, shuttingDown: () => this.stopping,
      setState: (t, next, patch) => this.setState(t, next, patch), emit: (e) => this.emit(e),
    })
    const every = opts.healthCheckIntervalMs ?? 60_000
    if (every > 0) {
      this.healthTimer = setInterval(() => void this.checkWorktreeHealth(), every)
      this.healthTimer.unref()
    }
  }

  // ── Events ──

  onEvent(listener: (e: TaskEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(e: TaskEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch (err) {
        this.opts.log.error('task event listener failed', { event: e.type, error: String(err) })
      }
    }
  }

  // ── Commands ──

  /** Accepts a spawnTask (raw, validated here). Refusals come back as values with a reason. */
  async spawn(input: unknown): Promise<CommandResult<{ taskId: string }>> {
    if (this.stopping) return refuse('shutting-down', 'The daemon is shutting down')
    const accepted = await acceptSpawnRequest(input, this.opts)
    if (!accepted.ok) return accepted
    const req = accepted.value
    const existing = this.tasks.get(req.taskId)
    if (existing) {
      const supervisorResume = req.resumeSession && existing.req.isSupervisor
      if (!isTerminal(existing.state) && !supervisorResume) return refuse('already-exists', `Task ${req.taskId} already exists and is ${existing.state}`)
      if (existing.run) {
        // A supervisor being resumed: its current agent makes way for the new run.
        existing.interrupted = { reason: 'Superseded by a resumed session' }
        await existing.agent?.stop()
        await existing.run
      }
    }
    const acquired = this.limiter.tryAcquire(req.taskId, req.contractId)
    if (!acquired.ok) return refuse(acquired.code, acquired.message)

    const t = newManagedTask(req, this.opts.tasks.get(req.taskId) ?? existing?.record, acquired.slot)
    this.tasks.set(t.id, t)
    this.recovered.delete(t.id)
    this.opts.tasks.save(t.record)
    this.emit({ type: 'taskStatusChange', taskId: t.id, oldStatus: 'pending', newStatus: 'initializing' })
    this.emit({ type: 'taskUpdated', taskId: t.id, state: t.state })
    this.start(t, { kind: 'spawn' })
    return ok({ taskId: t.id })
  }

  /** Resumes a task found by recover(), from its stored spawn request. */
  resumeRecovered(taskId: string): Promise<CommandResult<{ taskId: string }>> {
    const row = this.opts.tasks.get(taskId)
    if (!row?.spawnJson) return Promise.resolve(refuse('not-found', `Task ${taskId} not found`))
    return this.spawn({ ...(JSON.parse(row.spawnJson) as object), resumeSession: true })
  }

  /** `reason`: why the core paused it (its output cannot be stored), shown as the task's error. */
  pause(taskId: string, reason?: string): CommandResult {
    const t = this.tasks.get(taskId)
    if (!t) return this.notLive(taskId, 'pause')
    if (t.state === 'paused') return ok()
    if (t.state !== 'running') return refuse('invalid-state', `Cannot pause a task that is ${t.state}`)
    if (!t.agent?.pause()) return refuse('no-process', 'No active agent process for this task')
    this.host.setState(t, 'paused', reason ? { errorMessage: reason } : {})
    return ok()
  }

  resume(taskId: string): CommandResult {
    const t = this.tasks.get(taskId)
    if (!t) return this.notLive(taskId, 'resume')
    if (t.state === 'running') return ok()
    if (t.state !== 'paused') return refuse('invalid-state', `Cannot resume a task that is ${t.state}`)
    t.agent?.resume()
    this.host.setState(t, 'running', { errorMessage: null })
    return ok()
  }

  /** Stops the task for good: state interrupted at once, the agent's process group ended. */
  async interrupt(taskId: string, reason = 'Interrupted by request'): Promise<CommandResult> {
    const t = this.tasks.get(taskId)
    if (!t) return this.notLive(taskId, 'interrupt')
    if (isTerminal(t.state)) return ok()
    t.interrupted = { reason }
    t.queuedMessages = []
    this.host.setState(t, 'interrupted', { completedAt: new Date().toISOString(), errorMessage: reason })
    if (!t.run && this.keys.revoke(t.id)) this.emit({ type: 'revokeToolKey', taskId: t.id }) // an idle supervisor
    this.host.startGate.cancel(t.id)
    await t.agent?.stop()
    await t.run
    return ok()
  }

  /**
   * A message for the task's agent. `AUTH_CODE:` carries a login code instead. To an ended task
   * (completed, failed, interrupted) with a stored session: a follow-up — the agent runs again with
   * `--resume <session>` and the message, in the task's working directory (if that directory has
   * vanished meanwhile, the follow-up ends at once with a notice; followUpChecked() refuses instead).
   * To a running task whose agent no longer reads input (its turn's result closed stdin): kept, and
   * sent as a follow-up once that agent has exited.
   */
  sendMessage(taskId: string, message: string): CommandResult {
    if (message.startsWith('AUTH_CODE:')) {
      const delivered = this.opts.auth?.submitCode(message.slice('AUTH_CODE:'.length).trim()) ?? false
      return delivered ? ok() : refuse('invalid-state', 'No login is waiting for a code')
    }
    const r = this.deliverMessage(taskId, message)
    if (r.ok) this.opts.output.userTurn(taskId, message)
    return r
  }

  private deliverMessage(taskId: string, message: string): CommandResult {
    const t = this.tasks.get(taskId) ?? this.hydrateEnded(taskId)
    if (!t) return refuse('not-found', `Task ${taskId} not found`)
    if (t.state === 'paused') this.resume(taskId)
    if (t.agent?.send(message)) return ok()
    if (isTerminal(t.state)) return this.followUp(t, message)
    if (t.req.isSupervisor && (t.state === 'running' || t.state === 'starting' || t.state === 'initializing')) {
      t.queuedMessages.push(message)
      // Idle supervisor: start it again with --resume. Busy: the message waits for the next run.
      if (!t.run) this.respawnSupervisor(t, t.queuedMessages.splice(0).join('\n\n'))
      return ok()
    }
    if (t.state === 'initializing' || t.state === 'starting') {
      t.queuedMessages.push(message)
      return ok()
    }
    if (t.state === 'running' && t.run) {
      // Between autonomous iterations the next agent takes it; otherwise it follows up after the exit.
      t.queuedMessages.push(message)
      return ok()
    }
    return refuse('no-process', `Task ${taskId} has no running agent to receive the message (${t.state})`)
  }

  /** sendMessage, but a follow-up to an ended task whose working directory is gone is refused. */
  async sendMessageChecked(taskId: string, message: string): Promise<CommandResult> {
    const t = this.tasks.get(taskId) ?? this.hydrateEnded(taskId)
    if (t && isTerminal(t.state) && !t.run && !message.startsWith('AUTH_CODE:')) {
      const dir = t.dir ?? t.record.worktreePath
      if (dir && !(await this.opts.workspace.isIntact(dir, t.isRepo))) {
        return refuse('invalid-state', `Task ${taskId} has ended and its working directory ${dir} no longer exists; it cannot be continued`)
      }
    }
    return this.sendMessage(taskId, message)
  }

  /** Git identity (user.name / user.email) applied to every new worktree. */
  setInheritedIdentity(identity: GitIdentity | null): void {
    this.identity = identity
  }

  /** Settings changed in the app: they hold from the next spawn on (running tasks keep their slots). */
  configure(c: { maxConcurrentTasks?: number; defaultAgent?: string }): void {
    if (c.maxConcurrentTasks !== undefined) {
      this.opts.limits = { ...this.opts.limits, maxConcurrentTasks: c.maxConcurrentTasks }
      this.limiter.setLimits(this.opts.limits)
    }
    if (c.defaultAgent !== undefined) this.opts.defaultAgent = c.defaultAgent
  }

  // ── Queries ──

  get(taskId: string): TaskRecord | undefined {
    const t = this.tasks.get(taskId)
    return t ? { ...t.record } : this.opts.tasks.get(taskId)
  }

  /** A change made outside a run (merged, worktree removed, archived), live and stored. */
  patchRecord(taskId: string, patch: RecordPatch): TaskRecord | undefined {
    return patchRecord(this.tasks, this.opts.tasks, taskId, patch)
  }

  /** Drops an ended task (its worktree already handled) from memory and the store. */
  forget(taskId: string): CommandResult {
    return forgetTask(this.tasks, this.opts.tasks, taskId)
  }

  list(): TaskRecord[] {
    return [...this.tasks.values()].map((t) => ({ ...t.record }))
  }

  activeTaskIds(): string[] {
    return [...this.tasks.values()].filter((t) => !isTerminal(t.state)).map((t) => t.id)
  }

  recoverable(): RecoveredTask[] {
    return [...this.recovered.values()]
  }

  timings(taskId: string): (TaskTimings & { firstOutputMs?: number }) | undefined {
    return timingsView(this.tasks.get(taskId)?.timings ?? this.endedTimings.get(taskId))
  }

  /** Why the request's local repositories are not allowed (worktree.allowed_roots), or null. */
  outsideAllowedRoots(req: Pick<SpawnTaskRequest, 'repoUrl' | 'targetRepoPath'>): Promise<string | null> {
    return checkRequestRoots(req, this.opts.allowedRoots ?? [])
  }

  /** The task's live tool key (held in memory only), for the remote outbox at send time. */
  toolKey(taskId: string): string | undefined {
    return this.keys.get(taskId)
  }

  /** The pid of the task's current agent process, if one runs. */
  agentPid(taskId: string): number | undefined {
    return this.tasks.get(taskId)?.agent?.pid
  }

  runningCount(): number {
    return this.limiter.running
  }

  /** Waits until the task's current run has ended (for tests and shutdown). */
  async settled(taskId: string): Promise<void> {
    await this.tasks.get(taskId)?.run
  }

  // ── Recovery, health, shutdown ──

  async recover(): Promise<RecoveryReport> {
    const report = await recoverOrphans({
      tasks: this.opts.tasks, workspace: this.opts.workspace, emit: (e) => this.emit(e), log: this.opts.log,
      isLive: (id) => this.tasks.has(id), notice: (id, text) => this.opts.output.notice(id, text),
      staleAgentGraceMs: this.opts.staleAgentGraceMs ?? 5_000,
    })
    for (const r of report.recoverable) this.recovered.set(r.taskId, r)
    return report
  }

  /** Interrupts every running task whose worktree vanished; returns their ids. */
  checkWorktreeHealth(): Promise<string[]> {
    return checkWorktreeHealth([...this.tasks.values()], { ...this.opts, emit: (e) => this.emit(e), interrupt: (id, why) => this.interrupt(id, why) })
  }

  /** SIGTERM to every agent (SIGKILL after the agents' grace period); states stay as they are
   * so the next start recovers the tasks. */
  async shutdown(): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    if (this.healthTimer) clearInterval(this.healthTimer)
    this.host.startGate.cancelAll()
    const live = [...this.tasks.values()]
    await Promise.all(live.map((t) => t.agent?.stop()))
    await Promise.all(live.map((t) => t.run))
    for (const t of live) if (this.keys.revoke(t.id)) this.emit({ type: 'revokeToolKey', taskId: t.id })
    await this.opts.output.flush()
    this.unsubscribeOutput()
  }

  // ── Internals ──

  private start(t: ManagedTask, start: RunStart): void {
    const run = (async () => {
      let outcome: TaskOutcome
      try {
        outcome = await runTask(this.host, t, start)
      } catch (e) {
        this.opts.log.error('task run failed unexpectedly', { taskId: t.id, error: String(e) })
        outcome = { kind: 'failed', reason: e instanceof Error ? e.message : String(e), exitCode: null }
      }
      await finishRun(this.host, t, outcome, {
        revokeToolKey: (task) => {
          if (this.keys.revoke(task.id)) this.emit({ type: 'revokeToolKey', taskId: task.id })
        },
      })
    })()
    t.run = run
    void run.finally(() => {
      if (t.run !== run) return
      t.run = null
      this.afterRun(t)
      this.forgetIfEnded(t)
    })
  }

  /**
   * An ended task with nothing waiting leaves memory (its spawn request holds the whole plan): the
   * store has its record, and a follow-up brings it back (hydrateEnded).
   */
  private forgetIfEnded(t: ManagedTask): void {
    if (this.stopping || t.run || !isTerminal(t.state) || t.queuedMessages.length > 0) return
    if (this.tasks.get(t.id) !== t) return
    this.tasks.delete(t.id)
    keepEndedTimings(this.endedTimings, t)
  }

  /** A task not in memory: unknown, or ended (forgotten; its record is in the store). */
  private notLive(taskId: string, action: 'pause' | 'resume' | 'interrupt'): CommandResult {
    const stored = this.opts.tasks.get(taskId)
    if (!stored || !isTerminal(stored.state)) return refuse('not-found', `Task ${taskId} not found`)
    if (action === 'interrupt') return ok()
    return refuse('invalid-state', `Cannot ${action} a task that is ${stored.state}`)
  }

  /** Messages that arrived while the run was ending: the supervisor's next run, or a follow-up. */
  private afterRun(t: ManagedTask): void {
    if (this.stopping || t.run || !t.queuedMessages.length) return
    if (t.req.isSupervisor && t.state === 'running') {
      this.respawnSupervisor(t, t.queuedMessages.splice(0).join('\n\n'))
    } else if (isTerminal(t.state)) {
      const r = this.followUp(t, t.queuedMessages.splice(0).join('\n\n'))
      if (!r.ok) this.host.notice(t, `A message sent after the agent's last turn could not be delivered: ${r.message}`)
    }
  }

  /** An ended task continues its conversation: a new run with --resume and the message. */
  private followUp(t: ManagedTask, message: string): CommandResult {
    if (this.stopping) return refuse('shutting-down', 'The daemon is shutting down')
    if (t.run) {
      // Still finishing (completion action, output flush): the message follows once it is done.
      t.queuedMessages.push(message)
      return ok()
    }
    if (!t.sessionId) return refuse('invalid-state', `Task ${t.id} has ended (${t.state}) and has no Claude Code session to continue`)
    t.dir ??= t.record.worktreePath
    if (!t.dir) return refuse('invalid-state', `Task ${t.id} has ended (${t.state}) and has no working directory to continue in`)
    const acquired = this.limiter.tryAcquire(t.id, t.req.contractId)
    if (!acquired.ok) return refuse(acquired.code, acquired.message)
    t.slot = acquired.slot
    t.interrupted = null
    this.recovered.delete(t.id)
    this.opts.log.info('follow-up message: continuing an ended task', { taskId: t.id, previousState: t.state })
    this.start(t, { kind: 'follow-up', message })
    return ok()
  }

  /** An ended task from an earlier run of the core, known only to the store. */
  private hydrateEnded(taskId: string): ManagedTask | undefined {
    const t = endedTaskFromRecord(this.opts.tasks.get(taskId))
    if (t) this.tasks.set(t.id, t)
    return t
  }

  private respawnSupervisor(t: ManagedTask, message: string): void {
    if (this.stopping || t.run || isTerminal(t.state)) return
    const acquired = this.limiter.tryAcquire(t.id, t.req.contractId)
    if (!acquired.ok) {
      t.queuedMessages.unshift(message)
      this.host.notice(t, `Supervisor cannot start now: ${acquired.message}. The message is kept for later.`)
      return
    }
    t.slot = acquired.slot
    this.start(t, { kind: 'respawn', message })
  }

  private setState(t: ManagedTask, next: TaskState, patch: Partial<TaskRecord> = {}): void {
    const prev = t.state
    if (prev === next) return
    t.state = next
    t.record = { ...t.record, ...patch, state: next, updatedAt: new Date().toISOString() }
    this.opts.tasks.save(t.record)
    // Completed and failed are announced by taskComplete (as the original daemon does).
    if (next !== 'completed' && next !== 'failed') this.emit({ type: 'taskStatusChange', taskId: t.id, oldStatus: prev, newStatus: next })
    this.emit({ type: 'taskUpdated', taskId: t.id, state: next })
  }
}
