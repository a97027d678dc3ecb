// The per-commit view's git operations on real repositories: the branch's commits since its base,
// one commit's diff (only of the task's own history), and the fork point of a branch merged back.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findForkPoint, getCommitDiff, getTaskDiff, listBranchCommits } from '../../../../src-main/core/git'
import { commitFile, git, makeRepo, TempDirs } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
afterAll(() => dirs.cleanup())

/** A repository and a task worktree on `makima/t` with two commits of its own. */
function taskRepo() {
  const repo = makeRepo(dirs, { files: { 'src/a.txt': 'a\n' } })
  const wt = join(dirs.make(), 'wt')
  git(repo, 'worktree', 'add', '-q', '-b', 'makima/t', wt)
  const first = commitFile(wt, 'src/deep/b.txt', 'b\n', 'add b')
  const second = commitFile(wt, 'src/a.txt', 'a\nA\n', 'edit a')
  return { repo, wt, first, second }
}

describe('branch history', () => {
  it('lists the commits since the base, newest first, with subject and author', async () => {
    const { wt, first, second } = taskRepo()
    const r = await listBranchCommits({ worktree: wt, baseBranch: 'main' })
    expect(r.kind).toBe('commits')
    if (r.kind !== 'commits') return
    expect(r.merged).toBe(false)
    expect(r.total).toBe(2)
    expect(r.commits.map((c) => [c.sha, c.subject, c.author, c.parents])).toEqual([
      [second, 'edit a', 'Test User', 1],
      [first, 'add b', 'Test User', 1],
    ])
  })

  it("shows one commit's diff, and refuses a commit that is not in the task's history", async () => {
    const { repo, wt, first } = taskRepo()
    const d = await getCommitDiff({ worktree: wt, sha: first, maxBytes: 1 << 20 })
    expect(d).toMatchObject({ kind: 'diff', sha: first, subject: 'add b' })
    if (d.kind === 'diff') {
      expect(d.diff).toMatch(/^diff --git a\/src\/deep\/b.txt b\/src\/deep\/b.txt/)
      expect(d.diff).toContain('+b')
      expect(d.diff).not.toContain('src/a.txt')
    }
    const elsewhere = commitFile(repo, 'other.txt', 'x\n', 'on main')
    expect((await getCommitDiff({ worktree: wt, sha: elsewhere, maxBytes: 1 << 20 })).kind).toBe('not-found')
    expect((await getCommitDiff({ worktree: wt, sha: '--output=x', maxBytes: 1 << 20 })).kind).toBe('not-found')
    expect((await getCommitDiff({ worktree: wt, sha: first, maxBytes: 10 })).kind).toBe('too-large')
  })

  it('after the branch was merged into its base, still shows the commits it made (not "no changes")', async () => {
    const { repo, wt, first, second } = taskRepo()
    git(repo, 'merge', '-q', '--no-edit', 'makima/t') // fast-forward: main now contains every commit
    const fork = await findForkPoint(wt, 'main')
    expect(fork).toMatchObject({ kind: 'found', commitCount: 2, merged: true })
    const list = await listBranchCommits({ worktree: wt, baseBranch: 'main' })
    expect(list.kind === 'commits' && list.commits.map((c) => c.sha)).toEqual([second, first])
    const diff = await getTaskDiff({ worktree: wt, baseBranch: 'main' })
    expect(diff).toMatchObject({ kind: 'commits', merged: true, commitCount: 2 })
    expect(diff.kind === 'commits' && diff.diff).toContain('+A')
  })

  it('after a rebase onto a newer base and a merge back, shows only the commits the branch made', async () => {
    const { repo, wt } = taskRepo()
    commitFile(repo, 'main-only.txt', 'main\n', 'main moves on')
    git(wt, 'rebase', '-q', 'main')
    git(repo, 'merge', '-q', '--no-ff', '--no-edit', 'makima/t')
    const list = await listBranchCommits({ worktree: wt, baseBranch: 'main' })
    expect(list.kind === 'commits' && list.commits.map((c) => c.subject)).toEqual(['edit a', 'add b'])
    const diff = await getTaskDiff({ worktree: wt, baseBranch: 'main' })
    expect(diff.kind === 'commits' && diff.diff).not.toContain('main-only.txt')
  })

  it('a branch with no commits of its own has an empty history', async () => {
    const repo = makeRepo(dirs)
    const wt = join(dirs.make(), 'wt')
    git(repo, 'worktree', 'add', '-q', '-b', 'makima/empty', wt)
    expect(await listBranchCommits({ worktree: wt, baseBranch: 'main' })).toMatchObject({ kind: 'commits', total: 0, commits: [] })
    expect((await getTaskDiff({ worktree: wt, baseBranch: 'main' })).kind).toBe('empty')
    // The base moving on does not make the base's own commits the branch's (not "merged").
    commitFile(repo, 'main-1.txt', '1\n')
    commitFile(repo, 'main-2.txt', '2\n')
    expect(await findForkPoint(wt, 'main')).toMatchObject({ kind: 'found', commitCount: 0, merged: false })
  })
})
