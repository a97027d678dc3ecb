// Worktree operations on real repositories: create, continue-from, restore, copy files,
// identity, lookup, removal (never losing uncommitted work), new repos, clones, default branch.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import {
  applyGitIdentity, copyFilesBetweenWorktrees, createWorktree, createWorktreeFromTask, detectDefaultBranch, ensureRepo,
  findTaskWorktree, initNewRepo, InvalidRefError, readGitIdentity, removeWorktree, restoreFromPatch, createCheckpointPatch,
  heartbeatCommit, startMerge, type CloneProgress,
} from '../../../../src-main/core/git'
import { binaryBytes, commitFile, git, makeRepo, makeRepoWithRemote, TASK_A, TASK_B, TASK_C, TempDirs, write } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
afterEach(() => dirs.cleanup())

function created<T extends { kind: string }>(o: T): Extract<T, { kind: 'created' }> {
  if (o.kind !== 'created') throw new Error(`expected created, got ${JSON.stringify(o)}`)
  return o as Extract<T, { kind: 'created' }>
}

describe('createWorktree', () => {
  it('creates <short8>-<name> on makima/<name>-<short8> from the base branch', async () => {
    const repo = makeRepo(dirs)
    const wtDir = join(dirs.make(), 'worktrees')
    const { worktree } = created(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'Fix Bug', baseRef: 'main' }))
    expect(worktree.path).toBe(join(wtDir, '0a1b2c3d-fix-bug'))
    expect(worktree.branch).toBe('makima/fix-bug-0a1b2c3d')
    expect(git(worktree.path, 'branch', '--show-current')).toBe('makima/fix-bug-0a1b2c3d')
    expect(worktree.baseSha).toBe(git(repo, 'rev-parse', 'main'))
    expect(worktree.reusedBranch).toBe(false)
    expect(readFileSync(join(worktree.path, 'README.md'), 'utf8')).toBe('# test\n')
  })

  it('refuses an existing target directory and a missing base', async () => {
    const repo = makeRepo(dirs)
    const wtDir = dirs.make()
    mkdirSync(join(wtDir, '0a1b2c3d-x'))
    expect(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'x' })).toEqual({ kind: 'target-exists', path: join(wtDir, '0a1b2c3d-x') })
    expect(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_B, name: 'y', baseRef: 'no-such-branch' })).toEqual({ kind: 'base-missing', ref: 'no-such-branch' })
    await expect(createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_B, name: 'y', baseRef: '--orphan' })).rejects.toThrow(InvalidRefError)
  })

  it('prunes a stale admin entry first and reuses the branch that still holds the commits', async () => {
    const repo = makeRepo(dirs)
    const wtDir = dirs.make()
    const first = created(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'x' })).worktree
    const sha = commitFile(first.path, 'work.txt', 'work\n')
    // The directory vanishes behind git's back (user deleted it): the admin entry is now stale.
    const { rmSync } = await import('node:fs')
    rmSync(first.path, { recursive: true, force: true })
    const again = created(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'x' })).worktree
    expect(again.reusedBranch).toBe(true)
    expect(git(again.path, 'rev-parse', 'HEAD')).toBe(sha)
  })

  it('reports a branch checked out elsewhere', async () => {
    const repo = makeRepo(dirs)
    const wtDir = dirs.make()
    const first = created(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'x' })).worktree
    expect(await createWorktree({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_A, name: 'x' })).toEqual({ kind: 'branch-in-use', branch: first.branch, path: first.path })
  })
})

describe('createWorktreeFromTask', () => {
  it('copies committed and uncommitted work, binary and new files included', async () => {
    const repo = makeRepo(dirs, { files: { 'img.bin': binaryBytes(3000, 1) } })
    const wtDir = dirs.make()
    const src = created(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'a' })).worktree
    commitFile(src.path, 'committed.txt', 'c\n')
    write(src.path, 'README.md', '# changed\n')
    write(src.path, 'new/untracked.txt', 'u\n')
    write(src.path, 'img.bin', binaryBytes(3000, 2))
    const out = created(await createWorktreeFromTask({ sourceWorktree: src.path, worktreesDir: wtDir, taskId: TASK_B, name: 'b' }))
    const dst = out.worktree.path
    expect(out.uncommittedFiles).toBe(3)
    for (const f of ['committed.txt', 'README.md', 'new/untracked.txt']) expect(readFileSync(join(dst, f), 'utf8')).toBe(readFileSync(join(src.path, f), 'utf8'))
    expect(readFileSync(join(dst, 'img.bin')).equals(binaryBytes(3000, 2))).toBe(true)
    expect(out.worktree.branch).toBe('makima/b-9f8e7d6c')
    // The source is untouched: still dirty, index unchanged.
    expect(git(src.path, 'status', '--porcelain', '-uall')).toContain('?? new/untracked.txt')
  })

  it('fails clearly when the source is not a repository', async () => {
    await expect(createWorktreeFromTask({ sourceWorktree: dirs.make(), worktreesDir: dirs.make(), taskId: TASK_B, name: 'b' })).rejects.toThrow(/git rev-parse failed/)
  })
})

describe('restoreFromPatch', () => {
  it('restores a lost worktree at the base sha with the patch applied, binary files included', async () => {
    const repo = makeRepo(dirs, { files: { 'logo.png': binaryBytes(5000, 3) } })
    const wtDir = dirs.make()
    const wt = created(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'orig' })).worktree
    write(wt.path, 'logo.png', binaryBytes(6000, 4))
    write(wt.path, 'added.bin', binaryBytes(100, 5))
    write(wt.path, 'README.md', '# edited\n')
    const hb = await heartbeatCommit({ worktree: wt.path, patch: { enabled: true, baseRef: 'main' } })
    if (hb.kind !== 'committed' || hb.patch?.kind !== 'patch') throw new Error('no patch')
    const { data, baseSha, filesCount } = hb.patch.patch
    expect(filesCount).toBe(3)
    expect(baseSha).toBe(git(repo, 'rev-parse', 'main'))

    const r = await restoreFromPatch({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_B, name: 'restored', baseSha, patchData: data })
    if (r.kind !== 'restored') throw new Error(JSON.stringify(r))
    expect(readFileSync(join(r.worktree.path, 'logo.png')).equals(binaryBytes(6000, 4))).toBe(true)
    expect(readFileSync(join(r.worktree.path, 'added.bin')).equals(binaryBytes(100, 5))).toBe(true)
    expect(readFileSync(join(r.worktree.path, 'README.md'), 'utf8')).toBe('# edited\n')
    expect(git(r.worktree.path, 'rev-parse', 'HEAD')).toBe(baseSha)
  })

  it('reports a bad patch, a missing base and a patch that does not apply', async () => {
    const repo = makeRepo(dirs)
    const base = git(repo, 'rev-parse', 'HEAD')
    expect((await restoreFromPatch({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_A, name: 'x', baseSha: base, patchData: 'bm90IGd6aXA=' })).kind).toBe('invalid-patch')
    expect(await restoreFromPatch({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_A, name: 'x', baseSha: 'f'.repeat(40), patchData: gzipSync(Buffer.alloc(0)).toString('base64') })).toEqual({ kind: 'base-missing', baseSha: 'f'.repeat(40) })
    // A patch made against other content: README.md differs at the base.
    const other = makeRepo(dirs, { files: { 'README.md': 'different\n' } })
    write(other, 'README.md', 'different and changed\n')
    const p = await createCheckpointPatch(other, 'HEAD')
    if (p.kind !== 'patch') throw new Error('no patch')
    const wtDir = dirs.make()
    const r = await restoreFromPatch({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'x', baseSha: base, patchData: p.patch.data })
    expect(r.kind).toBe('apply-failed')
    // The half-made worktree and its branch are gone again.
    expect(existsSync(join(wtDir, '0a1b2c3d-x'))).toBe(false)
    expect(git(repo, 'branch', '--list', 'makima/*')).toBe('')
  })
})

describe('copyFilesBetweenWorktrees', () => {
  it('copies named files and refuses escapes (.., absolute, symlinks out)', async () => {
    const from = dirs.make()
    const to = dirs.make()
    const outside = dirs.make()
    write(from, 'docs/spec.md', 'spec\n')
    write(outside, 'secret.txt', 'secret\n')
    symlinkSync(join(outside, 'secret.txt'), join(from, 'link-out.txt'))
    symlinkSync(outside, join(to, 'evil-dir'))
    const results = await copyFilesBetweenWorktrees({ fromRoot: from, toRoot: to, files: ['docs/spec.md', '../x', '/etc/passwd', 'link-out.txt', 'missing.txt'] })
    expect(results.map((r) => r.ok)).toEqual([true, false, false, false, false])
    expect(readFileSync(join(to, 'docs/spec.md'), 'utf8')).toBe('spec\n')
    write(from, 'evil-dir/x.txt', 'x\n')
    const [r] = await copyFilesBetweenWorktrees({ fromRoot: from, toRoot: to, files: ['evil-dir/x.txt'] })
    expect(r.ok).toBe(false)
    expect(existsSync(join(outside, 'x.txt'))).toBe(false)
  })
})

describe('git identity', () => {
  it('reads user.name/email and applies them to a worktree; values starting with - stay values', async () => {
    const repo = makeRepo(dirs)
    expect(await readGitIdentity(repo)).toEqual({ name: 'Test User', email: 'test@example.com' })
    const other = makeRepo(dirs, { identity: false })
    await applyGitIdentity(other, { name: '-Dash Name', email: 'dash@example.com' })
    expect(git(other, 'config', 'user.name')).toBe('-Dash Name')
    expect(git(other, 'config', 'user.email')).toBe('dash@example.com')
  })
})

describe('findTaskWorktree', () => {
  it('uses the recorded path first, then scans for the short id', async () => {
    const repo = makeRepo(dirs)
    const wtDir = dirs.make()
    const wt = created(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'x' })).worktree
    mkdirSync(join(wtDir, '0a1b2c3d-aaa-not-a-worktree'))
    expect(await findTaskWorktree({ taskId: TASK_A, worktreesDir: wtDir })).toBe(wt.path)
    expect(await findTaskWorktree({ taskId: TASK_A, worktreesDir: wtDir, recordedPath: repo })).toBe(repo)
    expect(await findTaskWorktree({ taskId: TASK_A, worktreesDir: wtDir, recordedPath: '/nonexistent' })).toBe(wt.path)
    expect(await findTaskWorktree({ taskId: TASK_B, worktreesDir: wtDir })).toBeNull()
    expect(await findTaskWorktree({ taskId: TASK_B, worktreesDir: '/nonexistent' })).toBeNull()
  })
})

describe('removeWorktree', () => {
  it('removes a clean worktree and its branch', async () => {
    const repo = makeRepo(dirs)
    const wt = created(await createWorktree({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_A, name: 'x' })).worktree
    const out = await removeWorktree({ worktree: wt.path, deleteBranch: true })
    expect(out).toMatchObject({ kind: 'removed', wipCommitSha: null, branchDeleted: true })
    expect(existsSync(wt.path)).toBe(false)
    expect(git(repo, 'branch', '--list', wt.branch)).toBe('')
  })

  it('saves uncommitted work in a WIP commit first and keeps that branch', async () => {
    const repo = makeRepo(dirs)
    const wt = created(await createWorktree({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_A, name: 'x' })).worktree
    write(wt.path, 'precious.txt', 'do not lose me\n')
    const out = await removeWorktree({ worktree: wt.path, deleteBranch: true })
    if (out.kind !== 'removed') throw new Error(JSON.stringify(out))
    expect(out.wipCommitSha).toMatch(/^[0-9a-f]{40}$/)
    expect(out.branchDeleted).toBe(false)
    expect(out.branchKeptReason).toContain('uncommitted work')
    expect(git(repo, 'show', `${wt.branch}:precious.txt`)).toBe('do not lose me')
    expect(git(repo, 'log', '-1', '--format=%s', wt.branch)).toMatch(/^\[WIP\] Saved before worktree removal - \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/)
  })

  it('never removes when the WIP commit cannot be made', async () => {
    const repo = makeRepo(dirs)
    const wt = created(await createWorktree({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_A, name: 'x' })).worktree
    write(wt.path, 'precious.txt', 'work\n')
    // A lock held by someone else makes `git add` fail.
    const gitDir = git(wt.path, 'rev-parse', '--absolute-git-dir')
    writeFileSync(join(gitDir, 'index.lock'), '')
    await expect(removeWorktree({ worktree: wt.path, deleteBranch: true })).rejects.toThrow(/index\.lock/)
    expect(readFileSync(join(wt.path, 'precious.txt'), 'utf8')).toBe('work\n')
  })

  it('refuses while a merge with uncommitted work is stopped half-way', async () => {
    const repo = makeRepo(dirs, { files: { 's.txt': 'base\n' } })
    const wt = created(await createWorktree({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_A, name: 'x' })).worktree
    commitFile(wt.path, 's.txt', 'task\n')
    commitFile(repo, 's.txt', 'main\n')
    expect(await startMerge({ worktree: wt.path, sourceBranch: 'main' })).toMatchObject({ kind: 'conflicts' })
    expect((await removeWorktree({ worktree: wt.path, deleteBranch: true })).kind).toBe('busy')
    expect(existsSync(join(wt.path, 's.txt'))).toBe(true)
  })

  it('reports missing paths and refuses a main working tree', async () => {
    const repo = makeRepo(dirs)
    expect(await removeWorktree({ worktree: '/nonexistent/x', deleteBranch: false })).toEqual({ kind: 'not-found', path: '/nonexistent/x' })
    expect((await removeWorktree({ worktree: repo, deleteBranch: false })).kind).toBe('not-a-worktree')
    expect(existsSync(join(repo, 'README.md'))).toBe(true)
  })
})

describe('repositories', () => {
  it('initNewRepo makes a repo with an initial commit and the task branch, for new:// and new://<name>', async () => {
    const wtDir = dirs.make()
    const a = created(await initNewRepo({ source: 'new://', worktreesDir: wtDir, taskId: TASK_A, taskName: 'Fresh Start' })).worktree
    expect(a.path).toBe(join(wtDir, '0a1b2c3d-fresh-start'))
    expect(git(a.path, 'branch', '--show-current')).toBe('makima/fresh-start-0a1b2c3d')
    expect(git(a.path, 'log', '--format=%s', 'main')).toBe('Initial commit')
    const b = created(await initNewRepo({ source: 'new://My Lib', worktreesDir: wtDir, taskId: TASK_B, taskName: 'whatever' })).worktree
    expect(b.path).toBe(join(wtDir, '9f8e7d6c-my-lib'))
    expect(await initNewRepo({ source: 'new://My Lib', worktreesDir: wtDir, taskId: TASK_B, taskName: 'x' })).toEqual({ kind: 'target-exists', path: b.path })
  })

  it('ensureRepo clones a URL with progress, reuses the clone, verifies local paths', async () => {
    const { bare } = makeRepoWithRemote(dirs)
    const reposDir = dirs.make()
    const progress: CloneProgress[] = []
    const url = `file://${bare}`
    const first = await ensureRepo({ source: url, reposDir, onProgress: (p) => progress.push(p) })
    expect(first.kind).toBe('cloned')
    if (first.kind !== 'cloned') return
    expect(existsSync(join(first.path, 'src/app.txt'))).toBe(true)
    expect(progress.length).toBeGreaterThan(0)
    expect(await ensureRepo({ source: url, reposDir })).toEqual({ kind: 'existing-clone', path: first.path, fetched: true })
    expect(await ensureRepo({ source: first.path, reposDir })).toEqual({ kind: 'local', path: first.path })
    expect((await ensureRepo({ source: dirs.make(), reposDir })).kind).toBe('not-a-repo')
    expect((await ensureRepo({ source: '/nonexistent/repo', reposDir })).kind).toBe('not-a-repo')
    expect((await ensureRepo({ source: '--upload-pack=touch /tmp/pwned', reposDir })).kind).toBe('invalid-source')
    const failed = await ensureRepo({ source: `file://${bare}-missing`, reposDir })
    expect(failed.kind).toBe('clone-failed')
  })

  it('detectDefaultBranch: origin/HEAD, then main/master, then the current branch', async () => {
    const { repo } = makeRepoWithRemote(dirs)
    expect(await detectDefaultBranch(repo)).toBe('main')
    const master = makeRepo(dirs, { branch: 'master' })
    expect(await detectDefaultBranch(master)).toBe('master')
    const trunk = makeRepo(dirs, { branch: 'trunk' })
    expect(await detectDefaultBranch(trunk)).toBe('trunk')
    git(repo, 'remote', 'set-head', 'origin', '-d')
    git(repo, 'checkout', '-q', '-b', 'other')
    expect(await detectDefaultBranch(repo)).toBe('main')
    void TASK_C
  })
})
