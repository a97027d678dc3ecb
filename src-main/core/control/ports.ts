// What the control plane needs from the task manager, and nothing more. TaskManager satisfies it
// structurally (start.ts passes it in); tests pass a small implementation of their own.
import type { TaskRecord } from '../store/task-repository'
import type { SpawnTaskInput, TaskEvent } from '../tasks/types'

export type PortResult<T = unknown> = { ok: true; value: T } | { ok: false; code: string; message: string }

export interface TaskPort {
  /** Starts a task at once (the manager validates the request). */
  spawn(req: SpawnTaskInput): Promise<PortResult<{ taskId: string }>>
  interrupt(taskId: string, reason?: string): Promise<PortResult>
  sendMessage(taskId: string, message: string): PortResult
  /** The live record, or the stored one. */
  get(taskId: string): TaskRecord | undefined
  /** Live tasks (this run of the daemon). */
  list(): TaskRecord[]
  onEvent(listener: (e: TaskEvent) => void): () => void
}

/** Stored tasks (all runs), for listings that must include tasks from before a restart. */
export interface TaskStorePort {
  get(taskId: string): TaskRecord | undefined
  list(filter?: { limit?: number }): TaskRecord[]
}

/** Stored agent output of a task. */
export interface OutputStorePort {
  page(taskId: string, afterSeq?: number, limit?: number): { seq: number; kind: string; data: string }[]
  count(taskId: string): number
}

/** How the GitHub CLI is run for `pr` (tests put a fake gh first on PATH). */
export interface GhOptions {
  command?: string
  env?: Record<string, string | undefined>
}
