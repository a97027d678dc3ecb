// Our protocol extension (docs/PROTOCOL-EXTENSIONS.md): spawnTask may name the agent CLI.
import { describe, expect, it } from 'vitest'
import { parseCommandFrame } from '../../../../src-main/core/server/protocol'
import { parseSpawnTask } from '../../../../src-main/core/tasks/types'

const ID = '3f1c2a9e-8d7b-4c6a-9e5f-0a1b2c3d4e5f'
const spawn = (extra: Record<string, unknown>) =>
  JSON.stringify({ type: 'spawnTask', taskId: ID, taskName: 'n', plan: 'p', depth: 0, isOrchestrator: false, isSupervisor: false, autonomousLoop: false, resumeSession: false, ...extra })

describe('spawnTask.agent', () => {
  it('is kept through the frame and the spawn request (it was dropped as an unknown field before)', () => {
    const r = parseCommandFrame(spawn({ agent: 'codex' }))
    expect(r).toMatchObject({ ok: true, command: { type: 'spawnTask', agent: 'codex' } })
    const req = parseSpawnTask(r.ok ? r.command : null)
    expect(req).toMatchObject({ ok: true, value: { agent: 'codex' } })
  })

  it('absent or null means the default; an unknown agent is refused', () => {
    expect(parseSpawnTask(JSON.parse(spawn({ agent: null })) as unknown)).toMatchObject({ ok: true, value: { agent: undefined } })
    expect(parseCommandFrame(spawn({ agent: 'cobol' }))).toMatchObject({ ok: false, problem: { kind: 'invalid-fields', type: 'spawnTask' } })
  })
})
