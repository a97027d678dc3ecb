// Heartbeat and manual checkpoints, and checkpoint patches exactly as PROTOCOL.md defines them.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { createCheckpoint, createCheckpointPatch, createWorktree, heartbeatCommit, startMerge } from '../../../../src-main/core/git'
import { binaryBytes, git, makeConflictRepo, makeRepo, makeRepoWithRemote, TASK_A, TempDirs, write } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
afterEach(() => dirs.cleanup())

describe('heartbeatCommit', () => {
  it('skips a clean worktree', async () => {
    const repo = makeRepo(dirs)
    expect(await heartbeatCommit({ worktree: repo, patch: { enabled: true } })).toEqual({ kind: 'clean' })
  })

  it('commits everything as a WIP checkpoint with a patch of the protocol format', async () => {
    const repo = makeRepo(dirs, { files: { 'bin.dat': binaryBytes(2000, 7) } })
    const parent = git(repo, 'rev-parse', 'HEAD')
    write(repo, 'README.md', '# changed\n')
    write(repo, 'new.txt', 'brand new\n')
    write(repo, 'bin.dat', binaryBytes(2100, 8))
    const out = await heartbeatCommit({ worktree: repo, now: new Date('2026-01-22T14:03:07Z'), patch: { enabled: true } })
    if (out.kind !== 'committed') throw new Error('not committed')
    expect(out.message).toBe('[WIP] Heartbeat checkpoint - 2026-01-22 14:03:07 UTC')
    expect(out.parentSha).toBe(parent)
    expect(out.branch).toBe('main')
    expect(out.pushed).toBe(false)
    expect(out.pushError).toBeNull()
    expect(git(repo, 'status', '--porcelain')).toBe('')
    expect(git(repo, 'log', '-1', '--format=%s')).toBe(out.message)
    if (out.patch?.kind !== 'patch') throw new Error('no patch')
    expect(out.patch.patch.baseSha).toBe(parent)
    expect(out.patch.patch.filesCount).toBe(3)
    // base64 (standard alphabet) of gzip of `git diff --binary <base>`.
    expect(out.patch.patch.data).toMatch(/^[A-Za-z0-9+/]+=*$/)
    const raw = gunzipSync(Buffer.from(out.patch.patch.data, 'base64'))
    const expected = execFileSync('git', ['diff', '--binary', parent], { cwd: repo, env: { ...process.env, LC_ALL: 'C' } })
    expect(raw.equals(expected)).toBe(true)
    expect(raw.toString()).toContain('GIT binary patch')
  })

  it('pushes when origin exists, and a failing push is not fatal', async () => {
    const { repo, bare } = makeRepoWithRemote(dirs)
    const wt = await createWorktree({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_A, name: 'x' })
    if (wt.kind !== 'created') throw new Error('no worktree')
    write(wt.worktree.path, 'a.txt', 'a\n')
    const ok = await heartbeatCommit({ worktree: wt.worktree.path })
    if (ok.kind !== 'committed') throw new Error('not committed')
    expect(ok.pushed).toBe(true)
    expect(git(bare, 'rev-parse', 'makima/x-0a1b2c3d')).toBe(ok.sha)
    git(repo, 'remote', 'set-url', 'origin', join(dirs.make(), 'gone.git'))
    write(wt.worktree.path, 'b.txt', 'b\n')
    const bad = await heartbeatCommit({ worktree: wt.worktree.path })
    if (bad.kind !== 'committed') throw new Error('not committed')
    expect(bad.pushed).toBe(false)
    expect(bad.pushError).toMatch(/gone\.git|does not appear|not a git repository/)
  })

  it('leaves out a patch over the size cap, and can base it on the task branch point', async () => {
    const repo = makeRepo(dirs)
    write(repo, 'big.bin', binaryBytes(200_000, 9))
    const out = await heartbeatCommit({ worktree: repo, patch: { enabled: true, maxBytes: 1000 } })
    if (out.kind !== 'committed') throw new Error('not committed')
    expect(out.patch).toMatchObject({ kind: 'too-large', maxBytes: 1000 })
    const main = git(repo, 'rev-parse', 'HEAD~1')
    git(repo, 'branch', 'base', main)
    write(repo, 'c.txt', 'c\n')
    const second = await heartbeatCommit({ worktree: repo, patch: { enabled: true, baseRef: 'base' } })
    if (second.kind !== 'committed' || second.patch?.kind !== 'patch') throw new Error('no patch')
    // Both heartbeats' work, on top of the branch point.
    expect(second.patch.patch.baseSha).toBe(main)
    expect(second.patch.patch.filesCount).toBe(2)
  })

  it('works with no identity configured (fallback author), and throws GitError outside a repo', async () => {
    const repo = makeRepo(dirs, { identity: false })
    write(repo, 'x.txt', 'x\n')
    const out = await heartbeatCommit({ worktree: repo, push: false })
    expect(out.kind).toBe('committed')
    await expect(heartbeatCommit({ worktree: dirs.make() })).rejects.toMatchObject({ name: 'GitError', operation: 'status' })
  })
})

describe('checkpoints during a conflicted merge', () => {
  it('wait instead of sealing conflict markers into a commit', async () => {
    const { repo, branch } = makeConflictRepo(dirs)
    expect(await startMerge({ worktree: repo, sourceBranch: branch })).toMatchObject({ kind: 'conflicts' })
    expect(await heartbeatCommit({ worktree: repo })).toEqual({ kind: 'busy', operation: 'merge' })
    expect(await createCheckpoint({ worktree: repo, message: 'm' })).toEqual({ kind: 'busy', operation: 'merge' })
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('edit shared.txt')
  })
})

describe('createCheckpoint', () => {
  it('commits with line counts and the file list from the staged diff', async () => {
    const repo = makeRepo(dirs, { files: { 'a.txt': '1\n2\n3\n', 'gone.txt': 'bye\n', 'old-name.txt': 'same content here\nline two\n' } })
    write(repo, 'a.txt', '1\nTWO\n3\n4\n')
    write(repo, 'new.txt', 'n\n')
    const { rmSync, renameSync } = await import('node:fs')
    rmSync(join(repo, 'gone.txt'))
    renameSync(join(repo, 'old-name.txt'), join(repo, 'new-name.txt'))
    const out = await createCheckpoint({ worktree: repo, message: 'Checkpoint: halfway' })
    if (out.kind !== 'created') throw new Error('not created')
    expect(out.linesAdded).toBe(3)
    expect(out.linesRemoved).toBe(2)
    expect(out.branch).toBe('main')
    expect(out.files).toEqual(
      expect.arrayContaining([
        { action: 'modified', path: 'a.txt' },
        { action: 'added', path: 'new.txt' },
        { action: 'deleted', path: 'gone.txt' },
        { action: 'renamed', path: 'new-name.txt', oldPath: 'old-name.txt' },
      ]),
    )
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Checkpoint: halfway')
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(out.sha)
  })

  it('reports no changes', async () => {
    const repo = makeRepo(dirs)
    expect(await createCheckpoint({ worktree: repo, message: 'm' })).toEqual({ kind: 'no-changes' })
  })
})

describe('createCheckpointPatch', () => {
  it('includes untracked files without touching the real index', async () => {
    const repo = makeRepo(dirs)
    write(repo, 'untracked.txt', 'u\n')
    const before = readFileSync(join(git(repo, 'rev-parse', '--absolute-git-dir'), 'index'))
    const p = await createCheckpointPatch(repo, 'HEAD')
    if (p.kind !== 'patch') throw new Error('no patch')
    expect(gunzipSync(Buffer.from(p.patch.data, 'base64')).toString()).toContain('+++ b/untracked.txt')
    expect(readFileSync(join(git(repo, 'rev-parse', '--absolute-git-dir'), 'index')).equals(before)).toBe(true)
    expect(git(repo, 'status', '--porcelain')).toBe('?? untracked.txt')
    expect(await createCheckpointPatch(makeRepo(dirs), 'HEAD')).toEqual({ kind: 'empty' })
  })
})
