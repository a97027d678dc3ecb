// Migration 006: the task's agent and its usage; tasks stored before it read as Claude with no usage.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toSummary } from '../../../../src-main/core/bridge/handlers'
import { openStore } from '../../../../src-main/core/store/db'
import { MIGRATIONS } from '../../../../src-main/core/store/migrations'
import { TaskRepository } from '../../../../src-main/core/store/task-repository'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'makima-task-agent-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('tasks.agent and usage (migration 006)', () => {
  it('a version-5 row reads as claude with no usage; agent and usage round-trip', async () => {
    const path = join(dir, 'v5.db')
    const v4 = await openStore({ path, migrations: MIGRATIONS.filter((m) => m.version <= 5) })
    v4.db.prepare(
      `INSERT INTO tasks (id, name, state, plan, depth, is_orchestrator, is_supervisor, autonomous_loop, created_at, updated_at)
       VALUES ('old', 'old', 'completed', 'p', 0, 0, 0, 0, '2026-01-01', '2026-01-01')`,
    ).run()
    v4.close()
    const s = await openStore({ path })
    const repo = new TaskRepository(s.db)
    const old = repo.get('old')!
    expect(old.agent).toBeUndefined()
    expect(old.inputTokens).toBeUndefined()
    expect(toSummary(old).agent).toBe('claude')
    repo.save({ ...old, id: 'new', agent: 'gemini', inputTokens: 10, outputTokens: 2, cachedInputTokens: 1, costUsd: 0.25 })
    expect(repo.get('new')).toMatchObject({ agent: 'gemini', inputTokens: 10, outputTokens: 2, cachedInputTokens: 1, costUsd: 0.25 })
    expect(toSummary(repo.get('new')!).agent).toBe('gemini')
    s.close()
  })
})
