import Database from 'better-sqlite3'
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openStore, StoreError } from '../../../../src-main/core/store/db'
import { MIGRATIONS } from '../../../../src-main/core/store/migrations'
import { TaskRepository, type TaskRecord } from '../../../../src-main/core/store/task-repository'
import { OutputRepository } from '../../../../src-main/core/store/output-repository'
import { SettingsRepository } from '../../../../src-main/core/store/settings-repository'
import { taskRecord } from '../../../fixtures/store/task-record'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'makima-store-'))
})

const latest = Math.max(...MIGRATIONS.map((m) => m.version))

/** Values of every kind (text, list, flags) in the stored fields, so a round trip exercises each conversion. */
function task(id: string, over: Partial<TaskRecord> = {}): TaskRecord {
  return taskRecord(id, {
    name: `task ${id}`, plan: 'do it', repoUrl: '/repo', baseBranch: 'main', completionAction: 'none', contractId: 'c1',
    copyFiles: ['a.txt'], isSupervisor: true, autonomousLoop: true, worktreePath: '/wt/x', agentSessionId: 'sess-1', spawnJson: '{}',
    ...over,
  })
}

describe('openStore', () => {
  it('migrates an empty file, turns WAL on, and reopens idempotently', async () => {
    const path = join(dir, 'nested', 'daemon.db')
    const s1 = await openStore({ path })
    expect(s1.schemaVersion).toBe(latest)
    expect(s1.db.pragma('journal_mode', { simple: true })).toBe('wal')
    const tables = s1.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['settings', 'output_tasks', 'output_chunks', 'tasks']))
    new TaskRepository(s1.db).save(task('t1'))
    s1.close()

    const s2 = await openStore({ path })
    expect(s2.schemaVersion).toBe(latest)
    expect(new TaskRepository(s2.db).get('t1')?.name).toBe('task t1')
    s2.close()
  })

  it('applies pending migrations in one transaction: a failing one leaves nothing behind', async () => {
    const path = join(dir, 'daemon.db')
    const broken = [...MIGRATIONS, { version: latest + 1, name: 'adds-then-fails', sql: 'CREATE TABLE extra (x); SELECT * FROM no_such_table;' }]
    const err = await openStore({ path, migrations: broken }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreError)
    expect((err as StoreError).code).toBe('migration-failed')
    const raw = new Database(path)
    expect(raw.pragma('user_version', { simple: true })).toBe(0)
    expect(raw.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 })
    raw.close()
  })

  it('refuses a database from a newer schema and leaves it untouched', async () => {
    const path = join(dir, 'daemon.db')
    const raw = new Database(path)
    raw.exec('CREATE TABLE future (x)')
    raw.pragma(`user_version = ${latest + 5}`)
    raw.close()
    const before = await readFile(path)
    const err = (await openStore({ path }).catch((e: unknown) => e)) as StoreError
    expect(err).toBeInstanceOf(StoreError)
    expect(err.code).toBe('newer-schema')
    expect(err.message).toContain(`schema version ${latest + 5}`)
    expect(err.message).toContain('newer Makima')
    expect((await readFile(path)).equals(before)).toBe(true)
  })

  it('reports a corrupt file plainly and never deletes it', async () => {
    const path = join(dir, 'daemon.db')
    const junk = Buffer.alloc(8192, 0x5a)
    await writeFile(path, junk)
    const err = (await openStore({ path }).catch((e: unknown) => e)) as StoreError
    expect(err).toBeInstanceOf(StoreError)
    expect(err.code).toBe('corrupt')
    expect(err.message).toContain('left untouched')
    expect((await readFile(path)).equals(junk)).toBe(true)
  })

  it('reports a file locked by another process as locked', async () => {
    const path = join(dir, 'daemon.db')
    const holder = new Database(path)
    holder.pragma('locking_mode = EXCLUSIVE')
    holder.exec('BEGIN EXCLUSIVE; CREATE TABLE held (x);')
    const err = (await openStore({ path, busyTimeoutMs: 50 }).catch((e: unknown) => e)) as StoreError
    holder.exec('ROLLBACK')
    holder.close()
    expect(err).toBeInstanceOf(StoreError)
    expect(err.code).toBe('locked')
    expect(err.message).toContain('locked by another process')
    expect((await stat(path)).size).toBeGreaterThanOrEqual(0)
  })
})

describe('repositories', () => {
  it('round-trip every task field, filter by state, update and delete', async () => {
    const s = await openStore({ path: join(dir, 'd.db') })
    const repo = new TaskRepository(s.db)
    const t = task('t1')
    repo.save(t)
    expect(repo.get('t1')).toEqual(t)
    repo.save(task('t2', { state: 'completed', isSupervisor: false, copyFiles: null }))
    expect(repo.list({ states: ['completed'] }).map((r) => r.id)).toEqual(['t2'])
    expect(repo.count()).toBe(2)
    repo.updateState('t1', 'failed', { errorMessage: 'boom', exitCode: 3 })
    expect(repo.get('t1')).toMatchObject({ state: 'failed', errorMessage: 'boom', exitCode: 3, agentSessionId: 'sess-1' })
    repo.delete('t1')
    expect(repo.get('t1')).toBeUndefined()
    s.close()
  })

  it('append output with per-task sequences that continue after a reopen', async () => {
    const path = join(dir, 'd.db')
    const s = await openStore({ path })
    const out = new OutputRepository(s.db)
    expect(out.append('a', [{ kind: 'system', data: '{}' }, { kind: 'text', data: 'x' }]).map((l) => l.seq)).toEqual([1, 2])
    expect(out.append('b', [{ kind: 'text', data: 'y' }])[0]!.seq).toBe(1)
    s.close()
    const s2 = await openStore({ path })
    const out2 = new OutputRepository(s2.db)
    expect(out2.append('a', [{ kind: 'result', data: '{}' }])[0]!.seq).toBe(3)
    expect(out2.page('a', 1).map((l) => l.seq)).toEqual([2, 3])
    expect(out2.count('a')).toBe(3)
    new SettingsRepository(s2.db).set('machineId', { id: 'm' })
    expect(new SettingsRepository(s2.db).get('machineId')).toEqual({ id: 'm' })
    s2.close()
  })
})
