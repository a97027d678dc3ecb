// The fake server's frame check reads docs/PROTOCOL.md itself; it must catch what the document
// forbids, or "the daemon matches PROTOCOL.md" proves nothing.
import { describe, expect, it } from 'vitest'
import { checkFrame, COMMAND_SPECS, MESSAGE_SPECS } from '../../../fixtures/fake-server/protocol-spec'

describe('frames against PROTOCOL.md', () => {
  it('reads both tables of the document', () => {
    expect(COMMAND_SPECS.get('spawnTask')?.required).toEqual(['taskId', 'taskName', 'plan', 'depth', 'isOrchestrator', 'isSupervisor', 'autonomousLoop', 'resumeSession'])
    expect(COMMAND_SPECS.get('resumeTask')?.required).toEqual(['taskId'])
    expect(MESSAGE_SPECS.get('taskComplete')).toMatchObject({ required: ['taskId', 'success'], optional: ['error'] })
    expect(MESSAGE_SPECS.size).toBeGreaterThanOrEqual(25)
  })

  it('accepts a frame as written there, optional fields absent or null', () => {
    expect(checkFrame({ type: 'taskComplete', taskId: 'x', success: true }, MESSAGE_SPECS)).toBeNull()
    expect(checkFrame({ type: 'taskComplete', taskId: 'x', success: false, error: null }, MESSAGE_SPECS)).toBeNull()
    expect(checkFrame({ type: 'injectSiblingContext', taskId: 'x', anything: 1 }, COMMAND_SPECS)).toBeNull()
  })

  it('refuses wrong casing, a missing field and a field the document does not list', () => {
    expect(checkFrame({ type: 'TaskComplete', taskId: 'x', success: true }, MESSAGE_SPECS)).toMatch(/not in PROTOCOL\.md/)
    expect(checkFrame({ type: 'taskOutput', taskId: 'x', output: 'l' }, MESSAGE_SPECS)).toBe('taskOutput: missing isPartial')
    expect(checkFrame({ type: 'taskOutput', task_id: 'x', taskId: 'x', output: 'l', isPartial: false }, MESSAGE_SPECS)).toBe('taskOutput: unknown field task_id')
    expect(checkFrame({ type: 'heartbeat', activeTasks: null }, MESSAGE_SPECS)).toBe('heartbeat: missing activeTasks')
  })
})
