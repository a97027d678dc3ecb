// Delivery: merge to a target branch (squash sha right, target checked out elsewhere), branches,
// push / merge into another repository, pull requests through a fake gh, task diffs, clones of a
// worktree, target checks and repo file reads.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  cloneWorktreeToDirectory, createBranch, createPullRequest, createWorktree, getTaskDiff, mergeTaskToTarget, mergeToTargetRepo,
  pushToTargetRepo, readRepoFile, targetDirectoryExists, type WorktreeInfo,
} from '../../../../src-main/core/git'
import { binaryBytes, commitFile, git, makeRepo, makeRepoWithRemote, TASK_A, TASK_B, TempDirs, write } from '../../../fixtures/git/repos'
import { fakeGhEnv, recordedCalls } from '../../../fixtures/fake-gh'

const dirs = new TempDirs()
afterEach(() => dirs.cleanup())

async function task(repo: string, taskId = TASK_A, name = 'feat'): Promise<WorktreeInfo> {
  const out = await createWorktree({ repoPath: repo, worktreesDir: dirs.make(), taskId, name, baseRef: 'main' })
  if (out.kind !== 'created') throw new Error(JSON.stringify(out))
  return out.worktree
}

describe('mergeTaskToTarget', () => {
  it('merges into the target checked out in the main worktree (clean), committing pending work first', async () => {
    const repo = makeRepo(dirs)
    const wt = await task(repo)
    commitFile(wt.path, 'a.txt', 'a\n')
    write(wt.path, 'pending.txt', 'p\n')
    const out = await mergeTaskToTarget({ worktree: wt.path, taskId: TASK_A, targetBranch: 'main', squash: false })
    if (out.kind !== 'merged') throw new Error(JSON.stringify(out))
    expect(out.mergedIn).toBe(repo)
    expect(out.temporary).toBe(false)
    expect(out.checkpointSha).toMatch(/^\w{40}$/)
    expect(git(repo, 'rev-parse', 'main')).toBe(out.sha)
    expect(readFileSync(join(repo, 'pending.txt'), 'utf8')).toBe('p\n')
    // The task worktree stays on its own branch.
    expect(git(wt.path, 'branch', '--show-current')).toBe(wt.branch)
  })

  it('squash: reports the sha of the squash commit itself', async () => {
    const repo = makeRepo(dirs)
    const wt = await task(repo)
    commitFile(wt.path, 'a.txt', 'a\n')
    commitFile(wt.path, 'b.txt', 'b\n')
    const out = await mergeTaskToTarget({ worktree: wt.path, taskId: TASK_A, targetBranch: 'main', squash: true })
    if (out.kind !== 'merged') throw new Error(JSON.stringify(out))
    expect(out.sha).toBe(git(repo, 'rev-parse', 'main'))
    expect(git(repo, 'log', '-1', '--format=%s%n%P', 'main').split('\n')).toEqual([`Squashed merge of task ${TASK_A}`, expect.stringMatching(/^\w{40}$/)])
    expect(await mergeTaskToTarget({ worktree: wt.path, taskId: TASK_A, targetBranch: 'main', squash: true })).toMatchObject({ kind: 'up-to-date' })
  })

  it('uses a temporary worktree when the target is checked out nowhere, and reports conflicts leaving trees untouched', async () => {
    const repo = makeRepo(dirs, { files: { 'shared.txt': 'base\n' } })
    git(repo, 'branch', 'release')
    const wt = await task(repo)
    commitFile(wt.path, 'shared.txt', 'task\n')
    const ok = await mergeTaskToTarget({ worktree: wt.path, taskId: TASK_A, targetBranch: 'release', squash: false })
    if (ok.kind !== 'merged') throw new Error(JSON.stringify(ok))
    expect(ok.temporary).toBe(true)
    expect(git(repo, 'rev-parse', 'release')).toBe(ok.sha)
    expect(git(repo, 'worktree', 'list').split('\n')).toHaveLength(2)
    commitFile(repo, 'shared.txt', 'main side\n')
    const wt2 = await task(repo, TASK_B, 'other')
    git(wt2.path, 'reset', '-q', '--hard', 'main~1')
    commitFile(wt2.path, 'shared.txt', 'other side\n')
    const before = git(repo, 'rev-parse', 'main')
    const conflict = await mergeTaskToTarget({ worktree: wt2.path, taskId: TASK_B, targetBranch: 'main', squash: false })
    expect(conflict).toMatchObject({ kind: 'conflicts', files: ['shared.txt'] })
    expect(git(repo, 'rev-parse', 'main')).toBe(before)
    expect(git(repo, 'status', '--porcelain')).toBe('')
  })

  it('refuses when the target is checked out in a worktree with uncommitted changes', async () => {
    const repo = makeRepo(dirs)
    const supervisor = await task(repo, TASK_B, 'supervisor')
    await createBranch({ worktree: supervisor.path, name: 'makima/user-auth' })
    write(supervisor.path, 'wip.txt', 'wip\n')
    const wt = await task(repo)
    commitFile(wt.path, 'a.txt', 'a\n')
    const out = await mergeTaskToTarget({ worktree: wt.path, taskId: TASK_A, targetBranch: 'makima/user-auth', squash: false })
    expect(out.kind).toBe('target-busy')
    if (out.kind === 'target-busy') expect(out.message).toContain(supervisor.path)
    git(supervisor.path, 'add', '-A')
    git(supervisor.path, 'commit', '-q', '-m', 'wip')
    const merged = await mergeTaskToTarget({ worktree: wt.path, taskId: TASK_A, targetBranch: 'makima/user-auth', squash: false })
    expect(merged).toMatchObject({ kind: 'merged', mergedIn: supervisor.path })
    expect(readFileSync(join(supervisor.path, 'a.txt'), 'utf8')).toBe('a\n')
  })

  it('reports a missing target and the same branch', async () => {
    const repo = makeRepo(dirs)
    const wt = await task(repo)
    expect(await mergeTaskToTarget({ worktree: wt.path, taskId: TASK_A, targetBranch: 'nope', squash: false })).toMatchObject({ kind: 'target-missing', branch: 'nope' })
    expect(await mergeTaskToTarget({ worktree: wt.path, taskId: TASK_A, targetBranch: wt.branch, squash: false })).toEqual({ kind: 'same-branch', branch: wt.branch })
  })
})

describe('createBranch', () => {
  it('creates and switches, from a ref or HEAD; reports exists and missing refs', async () => {
    const repo = makeRepo(dirs)
    const first = git(repo, 'rev-parse', 'HEAD')
    commitFile(repo, 'x.txt', 'x\n')
    expect(await createBranch({ worktree: repo, name: 'makima/old', fromRef: 'HEAD~1' })).toEqual({ kind: 'created', branch: 'makima/old', sha: first })
    expect(git(repo, 'branch', '--show-current')).toBe('makima/old')
    expect(await createBranch({ worktree: repo, name: 'makima/old' })).toEqual({ kind: 'exists', branch: 'makima/old' })
    expect(await createBranch({ worktree: repo, name: 'n', fromRef: 'no-such-ref' })).toEqual({ kind: 'from-missing', fromRef: 'no-such-ref' })
    await expect(createBranch({ worktree: repo, name: '-b' })).rejects.toThrow(/invalid branch/)
  })
})

describe('push and merge into a target repository', () => {
  it('pushes the task as a branch into a bare repo, and refuses a missing target', async () => {
    const repo = makeRepo(dirs)
    const target = join(dirs.make(), 't.git')
    git(repo, 'init', '-q', '--bare', target)
    const wt = await task(repo)
    write(wt.path, 'f.txt', 'f\n')
    const out = await pushToTargetRepo({ worktree: wt.path, targetRepo: target, branch: 'makima/feat', taskName: 'Feature work' })
    if (out.kind !== 'pushed') throw new Error(JSON.stringify(out))
    expect(git(target, 'rev-parse', 'makima/feat')).toBe(out.sha)
    expect(git(target, 'log', '-1', '--format=%s', 'makima/feat')).toBe('Feature work')
    expect(await pushToTargetRepo({ worktree: wt.path, targetRepo: '/nonexistent/t', branch: 'b', taskName: 'x' })).toEqual({ kind: 'target-missing', targetRepo: '/nonexistent/t' })
  })

  it('reports a rejected push (branch checked out in the non-bare target)', async () => {
    const repo = makeRepo(dirs)
    const target = makeRepo(dirs)
    const wt = await task(repo)
    commitFile(wt.path, 'x.txt', 'x\n')
    const out = await pushToTargetRepo({ worktree: wt.path, targetRepo: target, branch: 'main', taskName: 'x' })
    expect(out.kind).toBe('rejected')
  })

  it('merges into the target repository and reports the final sha', async () => {
    const { repo, bare } = makeRepoWithRemote(dirs)
    const target = join(dirs.make(), 'target')
    git(dirs.make(), 'clone', '-q', bare, target)
    git(target, 'config', 'user.name', 'T')
    git(target, 'config', 'user.email', 't@e')
    const wt = await task(repo)
    commitFile(wt.path, 'feature.txt', 'feature\n')
    const out = await mergeToTargetRepo({ worktree: wt.path, targetRepo: target, branch: 'makima/feat', targetBranch: 'main', taskName: 'Feat', taskId: TASK_A, squash: true })
    if (out.kind !== 'merged') throw new Error(JSON.stringify(out))
    expect(out.sha).toBe(git(target, 'rev-parse', 'main'))
    expect(readFileSync(join(target, 'feature.txt'), 'utf8')).toBe('feature\n')
    expect(git(target, 'log', '-1', '--format=%s')).toBe(`Squashed merge of task ${TASK_A}`)
  })
})

describe('createPullRequest (fake gh on PATH)', () => {
  it('pushes, calls gh pr create with the right argv and parses URL and number', async () => {
    const { repo, bare } = makeRepoWithRemote(dirs)
    const wt = await task(repo)
    commitFile(wt.path, 'a.txt', 'a\n')
    const log = join(dirs.make(), 'gh.log')
    const out = await createPullRequest({ worktree: wt.path, title: 'Add a', body: 'Automated PR', base: 'main', env: fakeGhEnv({ logFile: log, prNumber: 17 }) })
    expect(out).toEqual({ kind: 'created', url: 'https://github.com/example/repo/pull/17', number: 17, branch: wt.branch })
    expect(recordedCalls(log)).toEqual([
      ['auth', 'status'],
      ['pr', 'create', '--title', 'Add a', '--body', 'Automated PR', '--base', 'main', '--head', wt.branch],
    ])
    expect(git(bare, 'rev-parse', wt.branch)).toBe(git(wt.path, 'rev-parse', 'HEAD'))
  })

  it('gh missing, not logged in, gh failing and push failing give clear errors', async () => {
    const { repo } = makeRepoWithRemote(dirs)
    const wt = await task(repo)
    const log = join(dirs.make(), 'gh.log')
    const missing = await createPullRequest({ worktree: wt.path, title: 't', base: 'main', ghCommand: 'gh', env: { PATH: dirs.make() } })
    expect(missing.kind).toBe('gh-missing')
    if (missing.kind === 'gh-missing') expect(missing.message).toMatch(/not installed or not on PATH/)
    const noAuth = await createPullRequest({ worktree: wt.path, title: 't', base: 'main', env: fakeGhEnv({ logFile: log, auth: 'fail' }) })
    expect(noAuth.kind).toBe('gh-not-authenticated')
    if (noAuth.kind === 'gh-not-authenticated') expect(noAuth.message).toMatch(/gh auth login/)
    const ghFail = await createPullRequest({ worktree: wt.path, title: 't', base: 'main', env: fakeGhEnv({ logFile: log, prFail: 'a pull request for branch already exists' }) })
    expect(ghFail).toMatchObject({ kind: 'gh-failed', message: expect.stringContaining('already exists') })
    git(repo, 'remote', 'set-url', 'origin', join(dirs.make(), 'missing.git'))
    const pushFail = await createPullRequest({ worktree: wt.path, title: 't', base: 'main', env: fakeGhEnv({ logFile: log }) })
    expect(pushFail.kind).toBe('push-failed')
  })
})

describe('getTaskDiff', () => {
  it('uncommitted changes first (untracked included), else the commits since the base branch', async () => {
    const repo = makeRepo(dirs)
    commitFile(repo, 'main-only.txt', 'm\n')
    const wt = await task(repo)
    git(repo, 'checkout', '-q', 'main')
    commitFile(repo, 'later-on-main.txt', 'later\n')
    expect(await getTaskDiff({ worktree: wt.path, baseBranch: 'main' })).toEqual({ kind: 'empty' })
    commitFile(wt.path, 'one.txt', 'one\n')
    commitFile(wt.path, 'two.txt', 'two\n')
    const commits = await getTaskDiff({ worktree: wt.path, baseBranch: 'main' })
    if (commits.kind !== 'commits') throw new Error(JSON.stringify(commits))
    expect(commits.commitCount).toBe(2)
    expect(commits.diff).toContain('+++ b/one.txt')
    expect(commits.diff).toContain('+++ b/two.txt')
    expect(commits.diff).not.toContain('main-only.txt')
    expect(commits.diff).not.toContain('later-on-main.txt')
    expect(commits.diff.indexOf('one.txt')).toBeLessThan(commits.diff.indexOf('two.txt'))
    write(wt.path, 'new.txt', 'new\n')
    const unc = await getTaskDiff({ worktree: wt.path, baseBranch: 'main' })
    expect(unc).toMatchObject({ kind: 'uncommitted', files: ['new.txt'] })
    expect(await getTaskDiff({ worktree: repo, baseBranch: 'gone' })).toEqual({ kind: 'base-missing', baseBranch: 'gone' })
  })
})

describe('cloneWorktreeToDirectory and targetDirectoryExists', () => {
  it('clones the task branch with uncommitted (binary) changes into a new directory', async () => {
    const repo = makeRepo(dirs)
    const wt = await task(repo)
    commitFile(wt.path, 'c.txt', 'c\n')
    write(wt.path, 'u.bin', binaryBytes(500, 4))
    const target = join(dirs.make(), 'out', 'copy')
    expect(await targetDirectoryExists(target)).toBe(false)
    const out = await cloneWorktreeToDirectory({ worktree: wt.path, targetDir: target })
    expect(out).toMatchObject({ kind: 'cloned', targetDir: target })
    expect(git(target, 'branch', '--show-current')).toBe(wt.branch)
    expect(readFileSync(join(target, 'c.txt'), 'utf8')).toBe('c\n')
    expect(readFileSync(join(target, 'u.bin')).equals(binaryBytes(500, 4))).toBe(true)
    expect(await targetDirectoryExists(target)).toBe(true)
    expect(await cloneWorktreeToDirectory({ worktree: wt.path, targetDir: target })).toEqual({ kind: 'target-exists', targetDir: target })
  })
})

describe('readRepoFile', () => {
  it('reads inside the repo only, at most 8 MiB', async () => {
    const repo = makeRepo(dirs)
    const outside = dirs.make()
    writeFileSync(join(outside, 'secret'), 's')
    symlinkSync(outside, join(repo, 'escape'))
    mkdirSync(join(repo, 'docs'))
    writeFileSync(join(repo, 'big.bin'), Buffer.alloc(8 * 1024 * 1024 + 1))
    expect(await readRepoFile({ repoPath: repo, filePath: 'README.md' })).toEqual({ kind: 'content', content: '# test\n', size: 7 })
    expect(await readRepoFile({ repoPath: repo, filePath: '../x' })).toEqual({ kind: 'outside-repo', path: '../x' })
    expect(await readRepoFile({ repoPath: repo, filePath: '/etc/passwd' })).toEqual({ kind: 'outside-repo', path: '/etc/passwd' })
    expect(await readRepoFile({ repoPath: repo, filePath: 'escape/secret' })).toEqual({ kind: 'outside-repo', path: 'escape/secret' })
    expect(await readRepoFile({ repoPath: repo, filePath: 'missing.md' })).toEqual({ kind: 'not-found', path: 'missing.md' })
    expect(await readRepoFile({ repoPath: repo, filePath: 'docs' })).toEqual({ kind: 'not-a-file', path: 'docs' })
    expect(await readRepoFile({ repoPath: repo, filePath: 'big.bin' })).toEqual({ kind: 'too-large', size: 8 * 1024 * 1024 + 1, maxBytes: 8 * 1024 * 1024 })
  })
})
