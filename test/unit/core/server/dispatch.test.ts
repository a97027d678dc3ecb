import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CommandDispatcher } from '../../../../src-main/core/server/dispatch'
import type { GitPort } from '../../../../src-main/core/server/ports'
import { encodeMessage, parseCommandValue, type Command, type Message } from '../../../../src-main/core/server/protocol'
import { capturingLogger, ChildProcessEngine, RecordingLogin, RecordingProcess } from '../../../integration/core/server/helpers'

function setup(git: Partial<GitPort> = {}) {
  const engine = new ChildProcessEngine()
  const sent: Message[] = []
  const { log, lines } = capturingLogger()
  const d = new CommandDispatcher({
    tasks: engine, git: git as GitPort, login: new RecordingLogin(), process: new RecordingProcess(), log,
    send: (m) => {
      encodeMessage(m) // every reply must match PROTOCOL.md
      sent.push(m)
    },
  })
  return { engine, sent, d, lines }
}
const cmd = (c: Record<string, unknown>): Command => {
  const r = parseCommandValue(c)
  if (!r.ok) throw new Error(JSON.stringify(r.problem))
  return r.command
}

describe('CommandDispatcher', () => {
  it('pauses and resumes a known task silently, and says why it refused otherwise', async () => {
    const { engine, sent, d } = setup()
    const t = randomUUID()
    engine.tasks.set(t, { id: t, state: 'running', child: null, messages: [] })
    await d.handle(cmd({ type: 'pauseTask', taskId: t }))
    await d.handle(cmd({ type: 'resumeTask', taskId: t }))
    expect(sent).toEqual([])
    expect(engine.calls).toEqual([`pause ${t}`, `resume ${t}`])
    engine.tasks.get(t)!.state = 'completed'
    await d.handle(cmd({ type: 'resumeTask', taskId: t }))
    expect(sent).toEqual([{ type: 'taskOutput', taskId: t, output: '[makima] Cannot resume a completed task (resume ignored)\n', isPartial: false }])
  })

  it('ignores injectSiblingContext and the connection-level commands', async () => {
    const { sent, d, engine } = setup()
    await d.handle(cmd({ type: 'injectSiblingContext', taskId: randomUUID(), context: 'x' }))
    await d.handle(cmd({ type: 'authenticated', daemonId: 'd1' }))
    await d.handle(cmd({ type: 'error', code: 'X', message: 'y' }))
    expect(sent).toEqual([])
    expect(engine.calls).toEqual([])
  })

  it('runs one task’s commands in arrival order while other tasks proceed', async () => {
    const order: string[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const { engine, d } = setup({
      mergeAbort: async (wt) => {
        order.push(`abort-start ${wt.taskId.slice(0, 4)}`)
        if (wt.taskId === a) await gate
        order.push(`abort-end ${wt.taskId.slice(0, 4)}`)
      },
      mergeStatus: async (wt) => {
        order.push(`status ${wt.taskId.slice(0, 4)}`)
        return { inProgress: false, conflictedFiles: [] }
      },
    })
    const a = randomUUID()
    const b = randomUUID()
    for (const id of [a, b]) engine.worktrees.set(id, { taskId: id, path: '/nowhere' })
    const p1 = d.handle(cmd({ type: 'mergeAbort', taskId: a }))
    const p2 = d.handle(cmd({ type: 'mergeStatus', taskId: a }))
    await d.handle(cmd({ type: 'mergeAbort', taskId: b }))
    expect(order).toEqual([`abort-start ${a.slice(0, 4)}`, `abort-start ${b.slice(0, 4)}`, `abort-end ${b.slice(0, 4)}`])
    release()
    await Promise.all([p1, p2])
    expect(order.slice(3)).toEqual([`abort-end ${a.slice(0, 4)}`, `status ${a.slice(0, 4)}`])
  })

  it('answers an unexpected git failure with success:false and a redacted message', async () => {
    const { engine, sent, d, lines } = setup({
      taskDiff: async () => {
        throw new Error('fatal: could not read Username for https://x: token ghp_abcdefghijklmnopqrstuvwxyz0123')
      },
    })
    const t = randomUUID()
    engine.worktrees.set(t, { taskId: t, path: '/nowhere' })
    await d.handle(cmd({ type: 'getTaskDiff', taskId: t }))
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ type: 'taskDiff', success: false })
    expect(JSON.stringify(sent[0])).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123')
    expect(lines.join('\n')).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123')
  })
})
