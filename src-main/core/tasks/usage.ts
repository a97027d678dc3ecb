// A task's usage in one shape for every agent, summed over its runs. Agents count differently:
// Claude reports tokens per turn and a cost cumulative over its process; Codex reports the whole
// thread's tokens so far (resumed runs included), so its latest count replaces the earlier ones.
import type { AgentEvent } from '../agents/adapters/types'
import type { TaskRecord } from '../store/task-repository'

export type UsageFields = Pick<TaskRecord, 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'costUsd'>
type UsageEvent = Extract<AgentEvent, { kind: 'usage' }>

/** One per run, starting from the task's totals before the run. */
export class UsageMeter {
  private turns = { input: 0, output: 0, cached: 0 }
  private session: UsageEvent | null = null
  private runCost: number | undefined

  constructor(private readonly before: UsageFields) {}

  add(ev: UsageEvent): UsageFields {
    if (ev.scope === 'session') this.session = ev
    else {
      this.turns.input += ev.input
      this.turns.output += ev.output
      this.turns.cached += ev.cachedInput ?? 0
    }
    if (ev.costUsd !== undefined) this.runCost = ev.costUsd
    return this.total()
  }

  total(): UsageFields {
    const b = this.before
    const s = this.session
    const out: UsageFields = s
      ? { inputTokens: s.input, outputTokens: s.output, cachedInputTokens: s.cachedInput ?? 0 }
      : {
          inputTokens: (b.inputTokens ?? 0) + this.turns.input,
          outputTokens: (b.outputTokens ?? 0) + this.turns.output,
          cachedInputTokens: (b.cachedInputTokens ?? 0) + this.turns.cached,
        }
    if (b.costUsd !== undefined || this.runCost !== undefined) out.costUsd = (b.costUsd ?? 0) + (this.runCost ?? 0)
    return out
  }
}
