import { describe, expect, it } from 'vitest'
import {
  buildClaudeArgv, claudeAgentEnv, isNoConversationFound, parseClaudeVersion, parseResult, sessionIdFromLine, userMessageLine,
} from '../../../../src-main/core/agents/adapters/claude'
import { classifyLine } from '../../../../src-main/core/agents/classify'

describe('buildClaudeArgv', () => {
  it('puts pre-args first, the stream-json flags, the permission flag, the prompt, resume, extra args last', () => {
    expect(buildClaudeArgv({ command: 'npx', preArgs: ['claude'], extraArgs: ['--model', 'opus'], systemPrompt: 'BE GOOD', resumeSessionId: 'abc' })).toEqual({
      command: 'npx',
      args: ['claude', '-p', '--output-format', 'stream-json', '--input-format', 'stream-json', '--verbose',
        '--dangerously-skip-permissions', '--append-system-prompt', 'BE GOOD', '--resume', 'abc', '--model', 'opus'],
    })
  })
  it('omits the permission flag when permissions are enabled and replaces the prompt when asked', () => {
    const { args } = buildClaudeArgv({ command: 'claude', enablePermissions: true, systemPrompt: 'X', systemPromptMode: 'replace' })
    expect(args).not.toContain('--dangerously-skip-permissions')
    expect(args.slice(-2)).toEqual(['--system-prompt', 'X'])
    expect(args).not.toContain('--resume')
  })
})

describe('userMessageLine', () => {
  it('is the exact SDK line with a trailing newline', () => {
    expect(userMessageLine('say "hi"\nnow')).toBe(
      '{"type":"user","session_id":"","message":{"role":"user","content":[{"type":"text","text":"say \\"hi\\"\\nnow"}]},"parent_tool_use_id":null}\n',
    )
  })
})

describe('claudeAgentEnv', () => {
  it('adds IS_SANDBOX=1 only for root with permissions off', () => {
    expect(claudeAgentEnv({ A: '1' }, { uid: 0 })).toEqual({ env: { A: '1', IS_SANDBOX: '1' }, rootSandboxFlag: true })
    expect(claudeAgentEnv({}, { uid: 0, enablePermissions: true }).rootSandboxFlag).toBe(false)
    expect(claudeAgentEnv({}, { uid: 1000 })).toEqual({ env: {}, rootSandboxFlag: false })
  })
})

describe('reading lines', () => {
  it('parses the version and the session id', () => {
    expect(parseClaudeVersion('2.1.331 (Claude Code)\n')).toBe('2.1.331')
    expect(parseClaudeVersion('nope')).toBeUndefined()
    expect(sessionIdFromLine(classifyLine('{"type":"system","subtype":"init","session_id":"s-1"}', 'stdout'))).toBe('s-1')
    expect(sessionIdFromLine(classifyLine('{"type":"system","subtype":"status","session_id":"s-1"}', 'stdout'))).toBeUndefined()
  })
  it('treats success+is_error as an error (the auth trap) and reads error shapes', () => {
    const auth = parseResult(classifyLine('{"type":"result","subtype":"success","is_error":true,"result":"Not logged in","api_error_status":401}', 'stdout'))
    expect(auth).toMatchObject({ ok: false, isError: true, subtype: 'success', apiErrorStatus: 401, text: 'Not logged in' })
    const ok = parseResult(classifyLine('{"type":"result","subtype":"success","is_error":false,"result":"DONE","num_turns":2,"total_cost_usd":0.1,"session_id":"s"}', 'stdout'))
    expect(ok).toMatchObject({ ok: true, text: 'DONE', numTurns: 2, totalCostUsd: 0.1, sessionId: 's', apiErrorStatus: null })
    const maxTurns = parseResult(classifyLine('{"type":"result","subtype":"error_max_turns","is_error":true,"errors":["Reached maximum number of turns (3)"]}', 'stdout'))
    expect(maxTurns).toMatchObject({ ok: false, text: 'Reached maximum number of turns (3)' })
    expect(parseResult(classifyLine('{"type":"assistant"}', 'stdout'))).toBeUndefined()
  })
  it('detects "No conversation found" on stderr and in an error result', () => {
    expect(isNoConversationFound(classifyLine('No conversation found with session ID: x', 'stderr'))).toBe(true)
    expect(isNoConversationFound(classifyLine('{"type":"result","subtype":"error_during_execution","is_error":true,"errors":["No conversation found with session ID: x"]}', 'stdout'))).toBe(true)
    expect(isNoConversationFound(classifyLine('{"type":"result","subtype":"success","is_error":false,"result":"No conversation found with session ID: x"}', 'stdout'))).toBe(false)
    expect(isNoConversationFound(classifyLine('{"type":"assistant","message":{"content":[{"type":"text","text":"No conversation found with session ID: x"}]}}', 'stdout'))).toBe(false)
  })
})
