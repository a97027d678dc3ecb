// Launches pass a gate a few at a time; a task stopped while it waits there ends interrupted at once
// and its agent is never spawned, while the task ahead of it runs to the end.
import { afterEach, describe, expect, it } from 'vitest'
import { ClaudeAgentPort } from '../../../../src-main/core/tasks/agent-port'
import { CLAUDE_BIN, claudeAvailable } from '../../../fixtures/claude-env'
import { text } from '../../../fixtures/model-server'
import { completeOf, makeHarness, waitFor, type Harness } from './harness'

const id = (n: number) => `33333333-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`

describe.skipIf(!claudeAvailable())('start gate (real Claude Code CLI)', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    h = undefined
  })

  it('a task interrupted while queued for a launch never spawns; the one launching finishes', async () => {
    const launched: string[] = []
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let entered!: () => void
    const firstEntered = new Promise<void>((r) => (entered = r))
    h = await makeHarness({
      maxConcurrentStarts: 1,
      scenario: { fallback: text('OK') },
      agents: ({ log, env }) => {
        const port = new ClaudeAgentPort({ command: CLAUDE_BIN, output: log, versionEnv: env, killGraceMs: 2000 })
        return {
          checkVersion: () => port.checkVersion(),
          // The first launch holds the gate's only turn until released.
          launch: async (spec, onLine) => {
            launched.push(spec.taskId)
            if (spec.taskId === id(1)) {
              entered()
              await held
            }
            return port.launch(spec, onLine)
          },
        }
      },
    })
    expect((await h.manager.spawn({ taskId: id(1), taskName: 'a', plan: 'p' })).ok).toBe(true)
    await firstEntered
    expect((await h.manager.spawn({ taskId: id(2), taskName: 'b', plan: 'p' })).ok).toBe(true)
    // b has reached the gate once the manager says it is starting and a's launch still holds the turn.
    await waitFor(() => h!.manager.get(id(2))?.state === 'starting', { what: 'task b starting' })
    await waitFor(() => h!.lines(id(2)).some((l) => l.data.startsWith('Starting')), { what: "b's starting notice" })
    expect((await h.manager.interrupt(id(2), 'stopped while queued')).ok).toBe(true)
    expect(h.manager.get(id(2))?.state).toBe('interrupted')
    release()
    const a = await waitFor(() => completeOf(h!.events, id(1)), { timeoutMs: 60_000, what: 'task a complete' })
    expect(a.success).toBe(true)
    expect(launched).toEqual([id(1)])
  })
})
