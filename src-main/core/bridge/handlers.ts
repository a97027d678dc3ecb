// The bridge requests, implemented over core services. Each handler receives validated params.
import type { TaskSummary } from '../../../src-preload/contract'
import type { TaskRecord, TaskRepository } from '../store/task-repository'
import type { PartialHandlers } from './dispatch'

export interface HandlerDeps {
  appVersion: string
  electronVersion: string | null
  schemaVersion: number
  mode: 'electron' | 'daemon'
  tasks: TaskRepository
}

export function toSummary(t: TaskRecord): TaskSummary {
  return {
    id: t.id,
    name: t.name,
    state: t.state,
    parentTaskId: t.parentTaskId,
    contractId: t.contractId,
    isOrchestrator: t.isOrchestrator,
    isSupervisor: t.isSupervisor,
    repoUrl: t.repoUrl,
    worktreePath: t.worktreePath,
    errorMessage: t.errorMessage,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  }
}

export function createHandlers(deps: HandlerDeps): PartialHandlers {
  return {
    getVersion: () => ({
      app: deps.appVersion,
      node: process.versions.node,
      electron: deps.electronVersion,
      schemaVersion: deps.schemaVersion,
      mode: deps.mode,
    }),
    listTasks: (params) => deps.tasks.list({ states: params?.states, limit: params?.limit }).map(toSummary),
  }
}
