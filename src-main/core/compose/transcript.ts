// Output lines on their way to the UI carry their transcript events, read with the adapter of the
// task's agent (both the live batches and the pages read back from the store).
import type { OutputLine } from '../../../src-preload/contract'
import type { AgentAdapter } from '../agents/adapters/types'
import { withTranscript } from '../agents/transcript'
import type { TaskRepository } from '../store/task-repository'

export type TaskTranscript = (taskId: string, lines: readonly Omit<OutputLine, 'events'>[]) => OutputLine[]

export function taskTranscript(tasks: Pick<TaskRepository, 'get'>, adapterOf: (agent: string | undefined) => AgentAdapter): TaskTranscript {
  return (taskId, lines) => withTranscript(adapterOf(tasks.get(taskId)?.agent), lines)
}
