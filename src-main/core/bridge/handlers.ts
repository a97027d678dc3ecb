// The bridge requests, implemented over core services. Each handler receives validated params.
import { AgentNameSchema, type OutputLine, type TaskDetail, type TaskSummary } from '../../../src-preload/contract'
import type { OutputRepository } from '../store/output-repository'
import type { TaskRecord, TaskRepository } from '../store/task-repository'
import { BridgeError, type PartialHandlers } from './dispatch'

export interface HandlerDeps {
  appVersion: string
  electronVersion: string | null
  schemaVersion: number
  mode: 'electron' | 'daemon'
  tasks: TaskRepository
  output: OutputRepository
}

/** The most line data one getTaskOutput answer carries; the renderer pages for the rest. */
export const OUTPUT_RESPONSE_BUDGET_BYTES = 8 * 1024 * 1024

/**
 * Lines within `budget` bytes, taken from the end the caller keeps contiguous with what it has:
 * 'newest' for a tail, 'oldest' for a page after a seq. Always at least one line, so paging moves.
 */
export function boundOutput(lines: readonly OutputLine[], from: 'oldest' | 'newest', budget = OUTPUT_RESPONSE_BUDGET_BYTES): { lines: OutputLine[]; truncated: boolean } {
  const ordered = from === 'oldest' ? lines : [...lines].reverse()
  const kept: OutputLine[] = []
  let used = 0
  for (const l of ordered) {
    used += Buffer.byteLength(l.data, 'utf8') + Buffer.byteLength(l.kind, 'utf8')
    if (kept.length > 0 && used > budget) break
    kept.push(l)
  }
  if (from === 'newest') kept.reverse()
  return { lines: kept, truncated: kept.length < lines.length }
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
    mergedInto: t.mergedInto ?? null,
    archivedAt: t.archivedAt ?? null,
    agent: AgentNameSchema.catch('claude').parse(t.agent ?? 'claude'),
  }
}

export function toDetail(t: TaskRecord): TaskDetail {
  return {
    ...toSummary(t),
    plan: t.plan,
    baseBranch: t.baseBranch,
    targetBranch: t.targetBranch,
    completionAction: t.completionAction,
    depth: t.depth,
    autonomousLoop: t.autonomousLoop,
    agentSessionId: t.agentSessionId,
    exitCode: t.exitCode,
    startedAt: t.startedAt,
    completedAt: t.completedAt,
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
    getTask: ({ taskId }) => {
      const t = deps.tasks.get(taskId)
      if (!t) throw new BridgeError('not-found', `Task ${taskId} not found`)
      return toDetail(t)
    },
    getTaskOutput: ({ taskId, afterSeq, limit, tail }) => {
      const rows = tail ? deps.output.tail(taskId, tail) : deps.output.page(taskId, afterSeq ?? 0, limit ?? 1000)
      const bounded = boundOutput(rows.map(({ seq, kind, data }) => ({ seq, kind, data })), tail ? 'newest' : 'oldest')
      return { ...bounded, total: deps.output.count(taskId) }
    },
  }
}
