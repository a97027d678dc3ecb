// Migration 005: a task records where it was merged and when it was archived.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore } from '../../../../src-main/core/store/db'
import { TaskRepository } from '../../../../src-main/core/store/task-repository'
import { taskRecord } from '../../../fixtures/store/task-record'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'makima-store-life-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('tasks.merged_into / archived_at (migration 005)', () => {
  it('round-trips both, and a task without them has neither', async () => {
    const s = await openStore({ path: join(dir, 'd.db') })
    const repo = new TaskRepository(s.db)
    const plain = taskRecord('plain')
    repo.save(plain)
    expect(repo.get('plain')).toEqual(plain)
    const done = taskRecord('done', { state: 'completed', mergedInto: 'main', archivedAt: '2026-12-06T00:00:00.000Z' })
    repo.save(done)
    expect(repo.get('done')).toEqual(done)
    s.close()
  })
})
