// The JSON the in-task CLI prints for tasks and their output. Field names are camelCase as in the
// original's API; `worktree_path` is repeated for orchestrate.sh, whose prompt names it so.
import type { TaskRecord } from '../store/task-repository'
import { TERMINAL_STATES } from '../../../src-preload/contract'

export interface TaskView {
  taskId: string
  name: string
  status: string
  isTerminal: boolean
  parentTaskId: string | null
  contractId: string | null
  isSupervisor: boolean
  isOrchestrator: boolean
  worktreePath: string | null
  worktree_path: string | null
  continueFromTaskId: string | null
  errorMessage: string | null
  exitCode: number | null
  createdAt: string
  startedAt: string | null
  completedAt: string | null
}

export function taskView(t: TaskRecord): TaskView {
  return {
    taskId: t.id, name: t.name, status: t.state, isTerminal: TERMINAL_STATES.includes(t.state), parentTaskId: t.parentTaskId,
    contractId: t.contractId, isSupervisor: t.isSupervisor, isOrchestrator: t.isOrchestrator, worktreePath: t.worktreePath,
    worktree_path: t.worktreePath, continueFromTaskId: t.continueFromTaskId, errorMessage: t.errorMessage, exitCode: t.exitCode,
    createdAt: t.createdAt, startedAt: t.startedAt, completedAt: t.completedAt,
  }
}

const MAX_TEXT = 4000

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}… [${s.length - MAX_TEXT} more characters]` : s
}

/** A readable line for an agent's stream-json output line (null for noise). */
export function readableLine(kind: string, data: string): string | null {
  if (kind === 'notice' || kind === 'stderr' || kind === 'text') return clip(data)
  let msg: Record<string, unknown>
  try {
    msg = JSON.parse(data) as Record<string, unknown>
  } catch {
    return clip(data)
  }
  if (msg.type === 'result') return clip(`[result] ${typeof msg.result === 'string' ? msg.result : msg.is_error ? 'error' : 'done'}`)
  if (msg.type !== 'assistant' && msg.type !== 'user') return null
  const content = (msg.message as { content?: unknown } | undefined)?.content
  if (!Array.isArray(content)) return typeof content === 'string' ? clip(content) : null
  const parts: string[] = []
  for (const b of content as Record<string, unknown>[]) {
    if (b.type === 'text' && typeof b.text === 'string') parts.push(b.text)
    else if (b.type === 'tool_use') parts.push(`[tool ${String(b.name)}] ${JSON.stringify(b.input)}`)
    else if (b.type === 'tool_result') {
      const c = b.content
      const text = typeof c === 'string' ? c : Array.isArray(c) ? (c as { text?: string }[]).map((x) => x.text ?? '').join('') : ''
      parts.push(`[tool result] ${text}`)
    }
  }
  return parts.length ? clip(parts.join('\n')) : null
}
