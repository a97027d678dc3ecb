import { describe, expect, it } from 'vitest'
import { backoffDelay, resolveServerUrl } from '../../../../src-main/core/server/connection'
import { COMMAND_TYPES, encodeMessage, MAX_FRAME_BYTES, parseCommandFrame, ProtocolError } from '../../../../src-main/core/server/protocol'
import { failureReply, refProblem } from '../../../../src-main/core/server/replies'

const ID = '3f1c2a9e-8d7b-4c6a-9e5f-0a1b2c3d4e5f'

describe('parseCommandFrame', () => {
  it('matches type case-insensitively and returns the camelCase type', () => {
    for (const t of ['pauseTask', 'PauseTask', 'pausetask', 'PAUSETASK']) {
      const r = parseCommandFrame(JSON.stringify({ type: t, taskId: ID }))
      expect(r).toEqual({ ok: true, command: { type: 'pauseTask', taskId: ID } })
    }
    expect(parseCommandFrame(JSON.stringify({ type: 'CreatePR', taskId: ID, title: 't', baseBranch: 'main' }))).toMatchObject({ ok: true, command: { type: 'createPR' } })
  })

  it('accepts null for absent optional fields and ignores unknown extra fields', () => {
    const r = parseCommandFrame(JSON.stringify({ type: 'createBranch', taskId: ID, branchName: 'b', fromRef: null, dependsOn: [ID] }))
    expect(r).toEqual({ ok: true, command: { type: 'createBranch', taskId: ID, branchName: 'b', fromRef: null } })
  })

  it('classifies bad frames without keeping their content', () => {
    expect(parseCommandFrame('{oops')).toEqual({ ok: false, problem: { kind: 'not-json' } })
    expect(parseCommandFrame('[1]')).toEqual({ ok: false, problem: { kind: 'not-an-object' } })
    expect(parseCommandFrame('{"x":1}')).toEqual({ ok: false, problem: { kind: 'no-type' } })
    expect(parseCommandFrame('{"type":"fly"}')).toEqual({ ok: false, problem: { kind: 'unknown-type', type: 'fly' } })
    const invalid = parseCommandFrame(JSON.stringify({ type: 'interruptTask', taskId: ID, apiKey: 'secret' }))
    expect(invalid).toMatchObject({ ok: false, problem: { kind: 'invalid-fields', type: 'interruptTask', taskId: ID } })
    expect(JSON.stringify(invalid)).not.toContain('secret')
    const big = `{"type":"pauseTask","taskId":"${ID}","pad":"${'x'.repeat(MAX_FRAME_BYTES)}"}`
    expect(parseCommandFrame(big)).toMatchObject({ ok: false, problem: { kind: 'oversized' } })
  })

  it('knows every PROTOCOL.md command', () => {
    expect(COMMAND_TYPES).toHaveLength(28)
  })
})

describe('encodeMessage', () => {
  it('writes camelCase and drops null fields', () => {
    expect(encodeMessage({ type: 'taskComplete', taskId: ID, success: true, error: null })).toBe(`{"type":"taskComplete","taskId":"${ID}","success":true}`)
  })
  it('refuses a message that does not match PROTOCOL.md', () => {
    expect(() => encodeMessage({ type: 'taskOutput', taskId: 'nope', output: 'x', isPartial: false })).toThrow(ProtocolError)
    expect(() => encodeMessage({ type: 'taskStatusChange', taskId: ID, oldStatus: 'running', newStatus: 'sleeping' as 'running' })).toThrow(ProtocolError)
  })
})

describe('failureReply', () => {
  it('answers each kind of command with its own message', () => {
    expect(failureReply({ type: 'spawnTask', taskId: ID }, 'no')).toEqual({ type: 'taskComplete', taskId: ID, success: false, error: 'no' })
    expect(failureReply({ type: 'resumeTask', taskId: ID }, `Task ${ID} not found`)).toEqual({
      type: 'taskOutput', taskId: ID, output: `[makima] Task ${ID} not found (resume ignored)\n`, isPartial: false,
    })
    expect(failureReply({ type: 'readRepoFile', requestId: ID }, 'x')).toMatchObject({ type: 'repoFileContent', success: false, filePath: '' })
    expect(failureReply({ type: 'restartDaemon' }, 'x')).toBeNull()
    for (const type of COMMAND_TYPES) {
      const reply = failureReply({ type, taskId: ID, requestId: ID }, 'why')
      if (reply) expect(() => encodeMessage(reply)).not.toThrow()
    }
  })
})

describe('resolveServerUrl', () => {
  it('appends /ws/daemon only when the URL has no path', () => {
    expect(resolveServerUrl('wss://api.makima.jp')).toBe('wss://api.makima.jp/ws/daemon')
    expect(resolveServerUrl('wss://api.makima.jp/')).toBe('wss://api.makima.jp/ws/daemon')
    expect(resolveServerUrl('wss://relay.example/custom/path')).toBe('wss://relay.example/custom/path')
    expect(resolveServerUrl('https://host:8443')).toBe('wss://host:8443/ws/daemon')
    expect(() => resolveServerUrl('ftp://x')).toThrow(/must start with/)
    expect(() => resolveServerUrl('not a url')).toThrow(/not a valid URL/)
  })
})

describe('backoffDelay', () => {
  it('grows from the base to the cap with up to 25% jitter below', () => {
    expect(backoffDelay(0, 5000, 60_000, () => 0)).toBe(5000)
    expect(backoffDelay(0, 5000, 60_000, () => 1)).toBe(3750)
    expect(backoffDelay(1, 5000, 60_000, () => 0)).toBe(10_000)
    expect(backoffDelay(4, 5000, 60_000, () => 0)).toBe(60_000)
    expect(backoffDelay(50, 5000, 60_000, () => 0.5)).toBe(52_500)
  })
})

describe('refProblem', () => {
  it('follows check-ref-format and refuses option-like names', () => {
    for (const ok of ['main', 'makima/task-1234abcd', 'feature/x.y']) expect(refProblem(ok)).toBeNull()
    for (const bad of ['-x', '--upload-pack=x', 'a..b', 'a b', 'a~1', 'x.lock', 'a/', '.hidden', 'a//b', 'a@{1}', '']) expect(refProblem(bad)).not.toBeNull()
  })
})
