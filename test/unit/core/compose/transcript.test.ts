// Output batches get their transcript with the task's own adapter, and the task's row is read once
// per task, not once per batch (a hundred streaming tasks made that read a hot path).
import { describe, expect, it } from 'vitest'
import { claudeAdapter } from '../../../../src-main/core/agents/adapters/claude'
import { codexAdapter } from '../../../../src-main/core/agents/adapters/codex'
import { taskTranscript } from '../../../../src-main/core/compose/transcript'

describe('taskTranscript', () => {
  it("reads each task's agent once, and asks again for a task not stored yet", () => {
    const rows = new Map<string, { agent?: string }>([['a', { agent: 'codex' }]])
    const asked: string[] = []
    const used: string[] = []
    const transcript = taskTranscript(
      { get: (id: string) => (asked.push(id), rows.get(id)) } as never,
      (agent) => (used.push(agent ?? 'default'), agent === 'codex' ? codexAdapter : claudeAdapter),
    )
    const line = [{ seq: 1, kind: 'notice', data: 'hi' }]
    for (let i = 0; i < 5; i++) transcript('a', line)
    transcript('b', line)
    rows.set('b', { agent: 'codex' })
    transcript('b', line)
    transcript('b', line)
    expect(asked).toEqual(['a', 'b', 'b'])
    expect(used).toEqual(['codex', 'codex', 'codex', 'codex', 'codex', 'default', 'codex', 'codex'])
  })
})
