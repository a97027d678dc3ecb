// Many agents start at once in one repository: their `git worktree add` runs must not race on the
// repository's worktree admin entries (seen as "failed to read .git/worktrees/<x>/commondir").
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createWorktree, listWorktrees, removeWorktree } from '../../../../src-main/core/git'
import { makeBigRepo, TempDirs } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
afterEach(() => dirs.cleanup())

const id = (n: number) => `${String(n).padStart(8, '0')}-1111-4222-8333-444455556666`

describe('worktrees created and removed concurrently in one repository', () => {
  it('all succeed, each in its own directory on its own branch', async () => {
    const repo = makeBigRepo(dirs, 300)
    const wt = dirs.make()
    const N = 12
    const made = await Promise.all(Array.from({ length: N }, (_, i) => createWorktree({ repoPath: repo, worktreesDir: wt, taskId: id(i), name: `agent ${i}` })))
    expect(made.map((m) => m.kind)).toEqual(Array(N).fill('created'))
    const paths = made.map((m) => (m.kind === 'created' ? m.worktree.path : ''))
    expect(new Set(paths).size).toBe(N)
    for (const p of paths) expect(existsSync(join(p, 'dir0', 'file-0.txt'))).toBe(true)
    expect((await listWorktrees(repo)).length).toBe(N + 1)

    // Half are removed while the other half are created again: still no race.
    const more = Array.from({ length: N / 2 }, (_, i) => createWorktree({ repoPath: repo, worktreesDir: wt, taskId: id(100 + i), name: `late ${i}` }))
    const gone = paths.slice(0, N / 2).map((p) => removeWorktree({ worktree: p, deleteBranch: true }))
    const results = await Promise.all([...more, ...gone])
    expect(results.map((r) => r.kind).sort()).toEqual([...Array(N / 2).fill('created'), ...Array(N / 2).fill('removed')].sort())
    expect((await listWorktrees(repo)).length).toBe(N + 1)
  }, 120_000)
})
