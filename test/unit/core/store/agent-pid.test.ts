// Migration 004: the tasks table records the agent process of a task's current run.
import Database from 'better-sqlite3'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore } from '../../../../src-main/core/store/db'
import { MIGRATIONS } from '../../../../src-main/core/store/migrations'
import { TaskRepository, type TaskRecord } from '../../../../src-main/core/store/task-repository'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'makima-store-pid-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

function task(id: string, over: Partial<TaskRecord> = {}): TaskRecord {
  const now = new Date().toISOString()
  return {
    id, name: id, state: 'running', plan: 'p', repoUrl: null, baseBranch: null, targetBranch: null, targetRepoPath: null,
    completionAction: null, parentTaskId: null, depth: 0, contractId: null, continueFromTaskId: null, copyFiles: null,
    isOrchestrator: false, isSupervisor: false, autonomousLoop: false, worktreePath: '/wt', agentSessionId: 's', patchBaseSha: null,
    spawnJson: '{}', errorMessage: null, exitCode: null, createdAt: now, startedAt: now, completedAt: null, updatedAt: now, ...over,
  }
}

describe('tasks.agent_pid / agent_identity (migration 004)', () => {
  it('adds the columns to a version-3 database; rows written before keep no agent', async () => {
    const path = join(dir, 'v3.db')
    const v3 = await openStore({ path, migrations: MIGRATIONS.filter((m) => m.version <= 3) })
    expect(v3.schemaVersion).toBe(3)
    v3.db.prepare(
      `INSERT INTO tasks (id, name, state, plan, depth, is_orchestrator, is_supervisor, autonomous_loop, created_at, updated_at)
       VALUES ('old', 'old', 'running', 'p', 0, 0, 0, 0, '2026-01-01', '2026-01-01')`,
    ).run()
    v3.close()

    const s = await openStore({ path })
    expect(s.schemaVersion).toBe(MIGRATIONS.at(-1)!.version)
    const cols = (s.db.prepare('PRAGMA table_info(tasks)').all() as { name: string; type: string }[]).filter((c) => c.name.startsWith('agent_'))
    expect(cols).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'agent_pid', type: 'INTEGER' }), expect.objectContaining({ name: 'agent_identity', type: 'TEXT' })]))
    const repo = new TaskRepository(s.db)
    const old = repo.get('old')!
    expect('agentPid' in old).toBe(false)
    expect('agentIdentity' in old).toBe(false)
    expect(repo.withAgentPid()).toEqual([])
    s.close()
  })

  it('round-trips the agent process, lists tasks that record one, and clears it', async () => {
    const s = await openStore({ path: join(dir, 'd.db') })
    const repo = new TaskRepository(s.db)
    const plain = task('plain')
    repo.save(plain)
    expect(repo.get('plain')).toEqual(plain) // absent stays absent
    const withAgent = task('busy', { agentPid: 4242, agentIdentity: 'boot-1:987654' })
    repo.save(withAgent)
    expect(repo.get('busy')).toEqual(withAgent)
    repo.save(task('done', { state: 'interrupted', agentPid: 7 }))
    expect(repo.withAgentPid().map((r) => [r.id, r.agentPid, r.agentIdentity])).toEqual([['busy', 4242, 'boot-1:987654'], ['done', 7, undefined]])
    // Saving a record whose agent fields are undefined clears them.
    repo.save({ ...repo.get('busy')!, agentPid: undefined, agentIdentity: undefined })
    expect(repo.get('busy')!.agentPid).toBeUndefined()
    const raw = new Database(join(dir, 'd.db'), { readonly: true })
    expect(raw.prepare("SELECT agent_pid, agent_identity FROM tasks WHERE id = 'busy'").get()).toEqual({ agent_pid: null, agent_identity: null })
    raw.close()
    expect(repo.withAgentPid().map((r) => r.id)).toEqual(['done'])
    s.close()
  })
})
