import { describe, expect, it } from 'vitest'
import { parseSpawnTask, toServerMessages } from '../../../../src-main/core/tasks/types'

const ID = '3f2b8a34-9c1d-4e5f-8a7b-1c2d3e4f5a6b'
const ID2 = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'

describe('spawnTask request', () => {
  it('accepts every PROTOCOL.md field', () => {
    const r = parseSpawnTask({
      taskId: ID, taskName: 'n', plan: 'p', repoUrl: 'new://x', baseBranch: 'main', targetBranch: 'dev', parentTaskId: ID2,
      depth: 1, isOrchestrator: true, isSupervisor: false, targetRepoPath: '~/r', completionAction: 'pr', continueFromTaskId: ID2,
      copyFiles: ['PLAN.md', 'a/b.txt'], contractId: ID2, autonomousLoop: true, resumeSession: true,
      conversationHistory: [{ role: 'user' }], patchData: 'H4sIAAAA', patchBaseSha: 'abcdef1',
    })
    expect(r.ok).toBe(true)
    if (r.ok) expect(r.value).toMatchObject({ depth: 1, completionAction: 'pr', copyFiles: ['PLAN.md', 'a/b.txt'], conversationHistory: [{ role: 'user' }] })
  })

  it('applies defaults and turns nulls into undefined', () => {
    const r = parseSpawnTask({ taskId: ID, taskName: 'n', plan: 'p', repoUrl: null, depth: null, isOrchestrator: null, conversationHistory: null })
    expect(r).toEqual({
      ok: true,
      value: {
        taskId: ID, taskName: 'n', plan: 'p', repoUrl: undefined, baseBranch: undefined, targetBranch: undefined, parentTaskId: undefined,
        depth: 0, isOrchestrator: false, isSupervisor: false, targetRepoPath: undefined, completionAction: undefined,
        continueFromTaskId: undefined, copyFiles: undefined, contractId: undefined, autonomousLoop: false, resumeSession: false,
        conversationHistory: undefined, patchData: undefined, patchBaseSha: undefined,
      },
    })
  })

  it('refuses bad input with a reason a person can act on', () => {
    expect(parseSpawnTask({ taskId: 'nope', taskName: 'n', plan: 'p' })).toMatchObject({ ok: false, message: expect.stringMatching(/taskId/) })
    expect(parseSpawnTask({ taskId: ID, taskName: 'n', plan: 'p', copyFiles: ['../etc/passwd'] })).toMatchObject({ ok: false, message: expect.stringMatching(/copyFiles\.0.*\.\./) })
    expect(parseSpawnTask({ taskId: ID, taskName: 'n', plan: 'p', copyFiles: ['/etc/passwd'] }).ok).toBe(false)
    expect(parseSpawnTask({ taskId: ID, taskName: 'n', plan: 'p', completionAction: 'deploy' }).ok).toBe(false)
    expect(parseSpawnTask({ taskId: ID, taskName: 'n', plan: 'p', patchData: 'not base64!' }).ok).toBe(false)
  })
})

describe('toServerMessages', () => {
  it('turns an output batch into one taskOutput per line and passes protocol events through', () => {
    expect(toServerMessages({ type: 'taskOutputBatch', taskId: 't', lines: [{ seq: 1, kind: 'system', data: '{"a":1}' }, { seq: 2, kind: 'notice', data: 'hi' }] })).toEqual([
      { type: 'taskOutput', taskId: 't', output: '{"a":1}', isPartial: false },
      { type: 'taskOutput', taskId: 't', output: 'hi', isPartial: false },
    ])
    const ev = { type: 'taskStatusChange', taskId: 't', oldStatus: 'pending', newStatus: 'initializing' } as const
    expect(toServerMessages(ev)).toEqual([ev])
    expect(toServerMessages({ type: 'taskUpdated', taskId: 't', state: 'running' })).toEqual([])
  })
})
