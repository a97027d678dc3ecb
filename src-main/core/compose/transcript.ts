// Output lines on their way to the UI carry their transcript events, read with the adapter of the
// task's agent (both the live batches and the pages read back from the store).
import type { OutputLine } from '../../../src-preload/contract'
import type { AgentAdapter } from '../agents/adapters/types'
import { withTranscript } from '../agents/transcript'
import type { TaskRepository } from '../store/task-repository'

export type TaskTranscript = (taskId: string, lines: readonly Omit<OutputLine, 'events'>[]) => OutputLine[]

export function taskTranscript(tasks: Pick<TaskRepository, 'get'>, adapterOf: (agent: string | undefined) => AgentAdapter): TaskTranscript {
  // A task's agent never changes: read once, not a row read and parsed for every output batch
  // (100 streaming tasks made that 4 % of the core's time). Bounded: the oldest entry goes first.
  const agents = new Map<string, string | undefined>()
  const agentOf = (taskId: string): string | undefined => {
    if (agents.has(taskId)) return agents.get(taskId)
    const row = tasks.get(taskId)
    if (!row) return undefined // not stored yet: asked again next time
    if (agents.size >= 1024) agents.delete(agents.keys().next().value!)
    agents.set(taskId, row.agent)
    return row.agent
  }
  return (taskId, lines) => withTranscript(adapterOf(agentOf(taskId)), lines)
}
