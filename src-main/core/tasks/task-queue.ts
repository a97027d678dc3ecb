// Tasks started from the app wait their turn instead of being refused when every agent slot is
// taken: they are stored as `pending` (so a restart keeps them) and started first-in, first-out as
// slots free up. Tasks from a Makima server are not queued here — the server queues its own.
import type { Logger } from '../log/logger'
import type { TaskRepository } from '../store/task-repository'
import type { TaskManager } from './manager'
import { ok, refuse, type CommandResult } from './state'
import { recordFor } from './task-records'
import { parseSpawnTask } from './types'

const FULL = new Set(['concurrency-limit', 'contract-concurrency-limit'])

export class TaskQueue {
  private draining: Promise<void> | null = null
  private again = false

  constructor(
    private readonly manager: TaskManager,
    private readonly tasks: TaskRepository,
    private readonly log: Logger,
    /** A pending task changed (queued, started, cancelled). */
    private readonly changed: (taskId: string) => void,
  ) {}

  /** Starts the task now if a slot is free, else queues it. */
  async submit(input: unknown): Promise<CommandResult<{ taskId: string; queued: boolean }>> {
    const parsed = parseSpawnTask(input)
    if (!parsed.ok) return refuse('invalid-request', parsed.message)
    // Refused now, not when a slot frees up.
    const outside = await this.manager.outsideAllowedRoots(parsed.value)
    if (outside) return refuse('invalid-request', outside)
    // Earlier pending tasks go first: a new task queues behind them.
    if (this.pendingIds().length === 0) {
      const r = await this.manager.spawn(input)
      if (r.ok) return ok({ taskId: r.value.taskId, queued: false })
      if (!FULL.has(r.code)) return r
    }
    const now = new Date().toISOString()
    this.tasks.save({ ...recordFor(parsed.value, undefined, now), state: 'pending' })
    this.log.info('task queued: every agent slot is busy', { taskId: parsed.value.taskId })
    this.changed(parsed.value.taskId)
    void this.drain()
    return ok({ taskId: parsed.value.taskId, queued: true })
  }

  /** Removes a queued task (it never started). False when it is not queued. */
  cancel(taskId: string): boolean {
    const t = this.tasks.get(taskId)
    if (t?.state !== 'pending') return false
    this.tasks.updateState(taskId, 'interrupted', { errorMessage: 'Cancelled before it started', completedAt: new Date().toISOString() })
    this.changed(taskId)
    return true
  }

  /** Starts queued tasks, oldest first, while slots are free. Safe to call often. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true
      return this.draining
    }
    this.draining = (async () => {
      do {
        this.again = false
        for (const id of this.pendingIds()) {
          const row = this.tasks.get(id)
          if (row?.state !== 'pending' || !row.spawnJson) continue
          const r = await this.manager.spawn(JSON.parse(row.spawnJson) as unknown)
          if (r.ok) continue
          if (FULL.has(r.code)) break // still full: keep order, try again when a task ends
          this.tasks.updateState(id, 'failed', { errorMessage: r.message, completedAt: new Date().toISOString() })
          this.changed(id)
        }
      } while (this.again)
    })().finally(() => {
      this.draining = null
    })
    return this.draining
  }

  private pendingIds(): string[] {
    return this.tasks
      .list({ states: ['pending'] })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map((t) => t.id)
  }
}
