import { describe, expect, it } from 'vitest'
import {
  AUTONOMOUS_LOOP_RULES, CONTRACT_INTEGRATION_PREAMBLE, ORCHESTRATOR_PROMPT, SUBTASK_PROMPT, SUPERVISOR_PROMPT,
  estimateTokens, largePlanWarning, resumeMessage, startingNotice, systemPromptFor, taskMessage, taskMode,
} from '../../../../src-main/core/tasks/prompts'
import { parseGateBody } from '../../../../src-main/core/tasks/completion-gate'

describe('prompts', () => {
  it('picks the mode: supervisor over orchestrator over subtask', () => {
    expect(taskMode({ isSupervisor: true, isOrchestrator: true })).toBe('supervisor')
    expect(taskMode({ isSupervisor: false, isOrchestrator: true })).toBe('orchestrator')
    expect(taskMode({ isSupervisor: false, isOrchestrator: false })).toBe('subtask')
  })

  it('each mode prompt carries its intent', () => {
    expect(SUBTASK_PROMPT).toMatch(/worktree/)
    expect(SUBTASK_PROMPT).toMatch(/Do not cd out/)
    for (const cmd of ['list', 'create', 'start', 'stop', 'status', 'output', 'worktree', 'done', '--continue-from', '--files']) {
      expect(ORCHESTRATOR_PROMPT).toContain(cmd)
    }
    expect(ORCHESTRATOR_PROMPT).toMatch(/ONLY the last task of each chain/)
    for (const cmd of ['spawn', 'wait', 'diff', 'merge', 'branch', 'pr ', 'advance-phase', 'ask', 'complete', '[ACTION REQUIRED]']) {
      expect(SUPERVISOR_PROMPT).toContain(cmd)
    }
    expect(SUPERVISOR_PROMPT).toMatch(/Never write or edit code/)
    expect(systemPromptFor('subtask', { autonomousLoop: false })).toBe(SUBTASK_PROMPT)
    expect(systemPromptFor('orchestrator', { autonomousLoop: true })).toContain(AUTONOMOUS_LOOP_RULES)
  })

  it('the example gate in the autonomous rules parses as ready', () => {
    const body = AUTONOMOUS_LOOP_RULES.split('<COMPLETION_GATE>')[1]!.split('</COMPLETION_GATE>')[0]!
    expect(parseGateBody(body)).toMatchObject({ kind: 'gate', gate: { ready: true } })
  })

  it('builds the first message by mode, with the contract preamble for contract tasks', () => {
    expect(taskMessage('subtask', 'do X', { contractTask: false })).toBe('Your task:\ndo X')
    expect(taskMessage('supervisor', 'goal', { contractTask: true })).toBe('Contract goal:\ngoal')
    const contract = taskMessage('orchestrator', 'do Y', { contractTask: true })
    expect(contract.startsWith(CONTRACT_INTEGRATION_PREAMBLE)).toBe(true)
    expect(contract.endsWith('Your task:\ndo Y')).toBe(true)
  })

  it('resume messages: intact worktree, injected history, plan only', () => {
    expect(resumeMessage({ kind: 'worktree-intact' }, 'P')).toMatch(/resuming an earlier session[\s\S]*P$/)
    const h = resumeMessage({ kind: 'history', conversationHistory: [{ role: 'user', content: 'hello there' }] }, 'P')
    expect(h).toContain('<conversation_history>')
    expect(h).toContain('"content": "hello there"')
    expect(h.endsWith('P')).toBe(true)
    expect(resumeMessage({ kind: 'plan-only' }, 'P')).toMatch(/P$/)
  })

  it('warns about large plans only above 50k estimated tokens', () => {
    expect(estimateTokens('abcd'.repeat(10))).toBe(10)
    expect(largePlanWarning(50_000)).toBeNull()
    expect(largePlanWarning(50_001)).toMatch(/very large \(about 50001 tokens\)/)
    expect(startingNotice('orchestrator', 12)).toBe('Starting Claude Code (orchestrator mode, ~12 tokens)...')
    expect(startingNotice('subtask', 12)).toBe('Starting Claude Code (~12 tokens)...')
  })
})
