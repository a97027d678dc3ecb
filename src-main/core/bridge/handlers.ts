// The bridge requests, implemented over core services. Each handler receives validated params.
import { AgentIdSchema, type OutputLine, type TaskDetail, type TaskSummary } from '../../../src-preload/contract'
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
  /** Adds each line's transcript events (read with the task's agent adapter). */
  transcript?: (taskId: string, lines: readonly OutputLine[]) => OutputLine[]
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

/** How long one read may hold the event loop before it lets other requests run. */
export const OUTPUT_READ_SLICE_MS = 4

/**
 * Up to `max` lines within the byte budget, in the order `lines` yields them (always at least one,
 * so paging moves). The read yields to the event loop every few ms: a big page never stalls
 * another client's request for long.
 */
export async function readBounded(lines: Iterator<{ seq: number; kind: string; data: string }>, max: number, budget = OUTPUT_RESPONSE_BUDGET_BYTES): Promise<{ lines: OutputLine[]; truncated: boolean }> {
  const kept: OutputLine[] = []
  let used = 0
  let slice = performance.now()
  while (kept.length < max) {
    const r = lines.next()
    if (r.done) return { lines: kept, truncated: false }
    const { seq, kind, data } = r.value
    used += Buffer.byteLength(data, 'utf8') + Buffer.byteLength(kind, 'utf8')
    if (kept.length > 0 && used > budget) return { lines: kept, truncated: true }
    kept.push({ seq, kind, data })
    if (performance.now() - slice > OUTPUT_READ_SLICE_MS) {
      await new Promise<void>((r) => setImmediate(r))
      slice = performance.now()
    }
  }
  return { lines: kept, truncated: false }
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
    agent: AgentIdSchema.catch('claude').parse(t.agent ?? 'claude'),
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
    getTaskOutput: async ({ taskId, afterSeq, limit, tail }) => {
      const lines = tail ? deps.output.descending(taskId) : deps.output.ascending(taskId, afterSeq ?? 0)
      const read = await readBounded(lines, tail ?? limit ?? 1000)
      if (tail) read.lines.reverse()
      const lines_ = deps.transcript ? deps.transcript(taskId, read.lines) : read.lines
      return { ...read, lines: lines_, total: deps.output.count(taskId) }
    },
  }
}
