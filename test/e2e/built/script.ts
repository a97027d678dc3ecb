// Helpers for scripting several agents on one model server: each conversation is told apart by
// its first user message (the task's prompt), and each step sees the tool results so far.
import { toolUse, type RespondContext, type Turn } from '../../fixtures/model-server'

const texts = (c: unknown): string =>
  typeof c === 'string'
    ? c
    : Array.isArray(c)
      ? (c as { type: string; text?: string; content?: unknown }[]).map((b) => b.text ?? (b.type === 'tool_result' ? texts(b.content) : '')).join('\n')
      : ''

/** The conversation's first user text (which task it is) and its tool results, oldest first. */
export function conversation(ctx: RespondContext): { first: string; results: string[] } {
  const msgs = ctx.body.messages ?? []
  const results = msgs.flatMap((m) =>
    m.role === 'user' && Array.isArray(m.content)
      ? (m.content as { type: string; content?: unknown }[]).filter((b) => b.type === 'tool_result').map((b) => texts(b.content))
      : [],
  )
  return { first: texts(msgs[0]?.content), results }
}

/** One Bash tool call with a timeout long enough for `wait` and `ask`. */
export const bash = (command: string): Turn => toolUse('Bash', { command, description: 'makima', timeout: 300_000 })

/** The task id a `spawn` or `create` printed, or null when the call failed. */
export function idFrom(out: string | undefined): string | null {
  const m = /"taskId":\s*"([0-9a-f-]{36})"/.exec(out ?? '') ?? /^([0-9a-f-]{36})\s*$/m.exec(out ?? '')
  return m?.[1] ?? null
}
