// The interactive merge engine on a real conflict repo: list branches, start, status, versions,
// resolve (ours / theirs / edited content), commit, abort, skip, completion check — and the
// merged/skipped record surviving a "restart" (a new store instance on the same file).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  abortMerge, checkMergeComplete, commitMerge, getConflictVersions, getMergeStatus, JsonMergeRecordStore, listTaskBranches,
  resolveConflict, skipSubtask, startMerge, PathEscapeError, InvalidRefError, type MergeRecording,
} from '../../../../src-main/core/git'
import { binaryBytes, commitFile, git, makeConflictRepo, makeRepo, TASK_A, TASK_B, TASK_C, TempDirs, write } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
afterEach(() => dirs.cleanup())
const ORCH = TASK_C

async function recording(repo: string): Promise<MergeRecording> {
  return { store: await JsonMergeRecordStore.forRepo(repo), orchestratorTaskId: ORCH, knownTaskIds: [TASK_A, TASK_B] }
}

function addCleanBranch(repo: string, taskId: string, file: string): string {
  const branch = `makima/clean-${taskId.slice(0, 8)}`
  git(repo, 'checkout', '-q', '-b', branch, 'main')
  commitFile(repo, file, `${file}\n`)
  git(repo, 'checkout', '-q', 'main')
  return branch
}

describe('listTaskBranches', () => {
  it('lists makima/* branches with task id, merged flag and last commit', async () => {
    const { repo, branch } = makeConflictRepo(dirs)
    git(repo, 'branch', 'unrelated')
    const list = await listTaskBranches({ worktree: repo, knownTaskIds: [TASK_A] })
    expect(list).toEqual([
      { name: branch, taskId: TASK_A, shortId: '0a1b2c3d', isMerged: false, lastCommit: git(repo, 'rev-parse', branch), lastCommitMessage: 'edit only-theirs.txt' },
    ])
    git(repo, 'branch', 'makima/old-9f8e7d6c', 'main~1')
    const merged = (await listTaskBranches({ worktree: repo })).find((b) => b.name === 'makima/old-9f8e7d6c')
    expect(merged?.isMerged).toBe(true)
    expect((await listTaskBranches({ worktree: repo, onlyTaskIds: [TASK_B] })).map((b) => b.name)).toEqual(['makima/old-9f8e7d6c'])
  })
})

describe('a clean merge', () => {
  it('merges, records the subtask as merged and reports up-to-date the second time', async () => {
    const repo = makeRepo(dirs)
    const branch = addCleanBranch(repo, TASK_B, 'b.txt')
    const rec = await recording(repo)
    const out = await startMerge({ worktree: repo, sourceBranch: branch, recording: rec })
    if (out.kind !== 'merged') throw new Error(JSON.stringify(out))
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(out.sha)
    expect(git(repo, 'log', '-1', '--format=%s')).toBe(`Merge branch '${branch}'`)
    expect((await rec.store.get(ORCH)).merged[branch]).toMatchObject({ taskId: TASK_B, sha: out.sha })
    expect(await startMerge({ worktree: repo, sourceBranch: branch })).toEqual({ kind: 'up-to-date' })
  })

  it('refuses a missing branch, a bad name and a dirty tree', async () => {
    const repo = makeRepo(dirs)
    const branch = addCleanBranch(repo, TASK_B, 'b.txt')
    expect(await startMerge({ worktree: repo, sourceBranch: 'makima/nope-12345678' })).toEqual({ kind: 'branch-missing', branch: 'makima/nope-12345678' })
    await expect(startMerge({ worktree: repo, sourceBranch: '--strategy=ours' })).rejects.toThrow(InvalidRefError)
    write(repo, 'README.md', 'dirty\n')
    expect(await startMerge({ worktree: repo, sourceBranch: branch })).toEqual({ kind: 'uncommitted-changes' })
  })
})

describe('a conflicted merge', () => {
  it('reports conflicts, status, the three versions, and resolves with theirs then commits', async () => {
    const { repo, branch } = makeConflictRepo(dirs)
    const rec = await recording(repo)
    expect(await getMergeStatus(repo)).toEqual({ inProgress: false, sourceBranch: null, conflictedFiles: [] })
    expect(await startMerge({ worktree: repo, sourceBranch: branch, recording: rec })).toEqual({ kind: 'conflicts', files: ['shared.txt'] })
    expect(await startMerge({ worktree: repo, sourceBranch: branch })).toEqual({ kind: 'merge-in-progress' })
    expect(await getMergeStatus(repo)).toEqual({ inProgress: true, sourceBranch: branch, conflictedFiles: ['shared.txt'] })
    const v = await getConflictVersions({ worktree: repo, file: 'shared.txt' })
    expect(v).toEqual({
      kind: 'versions',
      versions: {
        file: 'shared.txt',
        base: { kind: 'text', content: 'one\ntwo\nthree\n' },
        ours: { kind: 'text', content: 'one\ntwo from main\nthree\n' },
        theirs: { kind: 'text', content: 'one\nTWO from task\nthree\n' },
      },
    })
    expect(await getConflictVersions({ worktree: repo, file: 'only-theirs.txt' })).toEqual({ kind: 'not-conflicted', file: 'only-theirs.txt' })
    expect(await commitMerge({ worktree: repo, message: 'too early', recording: rec })).toEqual({ kind: 'unresolved', files: ['shared.txt'] })
    expect(await resolveConflict({ worktree: repo, file: 'shared.txt', resolution: { kind: 'theirs' } })).toEqual({ kind: 'resolved', file: 'shared.txt', remaining: [] })
    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe('one\nTWO from task\nthree\n')
    const done = await commitMerge({ worktree: repo, message: 'Merge the feature', recording: rec })
    if (done.kind !== 'committed') throw new Error(JSON.stringify(done))
    expect(done.sourceBranch).toBe(branch)
    expect(git(repo, 'log', '-1', '--format=%s%n%P')).toMatch(/^Merge the feature\n\w{40} \w{40}$/)
    expect(await getMergeStatus(repo)).toMatchObject({ inProgress: false })
    // Recorded when the merge committed, and still there for a fresh store (a restart).
    const reopened = await JsonMergeRecordStore.forRepo(repo)
    expect(reopened.file).toBe(join(repo, '.git', 'makima', 'merge-state.json'))
    expect((await reopened.get(ORCH)).merged[branch]).toMatchObject({ taskId: TASK_A, sha: done.sha })
    expect(await commitMerge({ worktree: repo, message: 'again' })).toEqual({ kind: 'no-merge' })
  })

  it('resolves with ours and with edited content', async () => {
    const { repo, branch } = makeConflictRepo(dirs)
    await startMerge({ worktree: repo, sourceBranch: branch })
    await resolveConflict({ worktree: repo, file: 'shared.txt', resolution: { kind: 'ours' } })
    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe('one\ntwo from main\nthree\n')
    await abortMerge(repo)
    await startMerge({ worktree: repo, sourceBranch: branch })
    await resolveConflict({ worktree: repo, file: 'shared.txt', resolution: { kind: 'content', content: 'one\nboth\nthree\n' } })
    expect(git(repo, 'diff', '--cached', '--name-only', '--diff-filter=U')).toBe('')
    expect(git(repo, 'show', ':shared.txt')).toBe('one\nboth\nthree')
  })

  it('resolves a modify/delete conflict by taking the deleting side', async () => {
    const repo = makeRepo(dirs, { files: { 'doomed.txt': 'x\n' } })
    git(repo, 'checkout', '-q', '-b', 'makima/del-0a1b2c3d')
    git(repo, 'rm', '-q', 'doomed.txt')
    git(repo, '-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'delete')
    git(repo, 'checkout', '-q', 'main')
    commitFile(repo, 'doomed.txt', 'changed\n')
    expect(await startMerge({ worktree: repo, sourceBranch: 'makima/del-0a1b2c3d' })).toEqual({ kind: 'conflicts', files: ['doomed.txt'] })
    const v = await getConflictVersions({ worktree: repo, file: 'doomed.txt' })
    expect(v.kind === 'versions' && v.versions.theirs).toEqual({ kind: 'absent' })
    await resolveConflict({ worktree: repo, file: 'doomed.txt', resolution: { kind: 'theirs' } })
    expect(existsSync(join(repo, 'doomed.txt'))).toBe(false)
    expect((await commitMerge({ worktree: repo, message: 'm' })).kind).toBe('committed')
  })

  it('shows binary sides as binary', async () => {
    const repo = makeRepo(dirs, { files: { 'img.bin': binaryBytes(100, 1) } })
    git(repo, 'checkout', '-q', '-b', 'makima/bin-0a1b2c3d')
    commitFile(repo, 'img.bin', binaryBytes(100, 2))
    git(repo, 'checkout', '-q', 'main')
    commitFile(repo, 'img.bin', binaryBytes(100, 3))
    await startMerge({ worktree: repo, sourceBranch: 'makima/bin-0a1b2c3d' })
    const v = await getConflictVersions({ worktree: repo, file: 'img.bin' })
    expect(v.kind === 'versions' && v.versions.ours).toEqual({ kind: 'binary', size: 100 })
  })

  it('aborts, and refuses paths outside the worktree', async () => {
    const { repo, branch } = makeConflictRepo(dirs)
    expect(await abortMerge(repo)).toEqual({ kind: 'no-merge' })
    await startMerge({ worktree: repo, sourceBranch: branch })
    await expect(resolveConflict({ worktree: repo, file: '../etc/passwd', resolution: { kind: 'ours' } })).rejects.toThrow(PathEscapeError)
    expect(await resolveConflict({ worktree: repo, file: 'README.md', resolution: { kind: 'ours' } })).toEqual({ kind: 'not-conflicted', file: 'README.md' })
    expect(await abortMerge(repo)).toEqual({ kind: 'aborted' })
    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe('one\ntwo from main\nthree\n')
    expect(await resolveConflict({ worktree: repo, file: 'shared.txt', resolution: { kind: 'ours' } })).toEqual({ kind: 'no-merge' })
  })
})

describe('skip and completion check', () => {
  it('counts merged (git or recorded), skipped, and unmerged branches; survives a restart', async () => {
    const repo = makeRepo(dirs)
    const a = addCleanBranch(repo, TASK_A, 'a.txt')
    const b = addCleanBranch(repo, TASK_B, 'b.txt')
    git(repo, 'branch', 'makima/no-id-branch')
    const store = await JsonMergeRecordStore.forRepo(repo)
    const check = () => checkMergeComplete({ worktree: repo, store: new JsonMergeRecordStore(store.file), orchestratorTaskId: ORCH, knownTaskIds: [TASK_A, TASK_B] })
    expect(await check()).toEqual({ canComplete: false, unmergedBranches: [a, b], mergedCount: 1, skippedCount: 0 })
    await startMerge({ worktree: repo, sourceBranch: a, recording: { store, orchestratorTaskId: ORCH } })
    await skipSubtask({ store, orchestratorTaskId: ORCH, subtaskId: TASK_B, reason: 'superseded by A' })
    // makima/no-id-branch points at an ancestor of HEAD: merged in git terms.
    expect(await check()).toEqual({ canComplete: true, unmergedBranches: [], mergedCount: 2, skippedCount: 1 })
    expect((await new JsonMergeRecordStore(store.file).get(ORCH)).skipped[TASK_B].reason).toBe('superseded by A')
    // A recorded merge counts even when git no longer sees it (e.g. HEAD was reset).
    git(repo, 'reset', '-q', '--hard', 'HEAD~1')
    expect(await check()).toMatchObject({ canComplete: true, mergedCount: 2 })
    // Limiting to the orchestrator's subtasks.
    const only = await checkMergeComplete({ worktree: repo, store, orchestratorTaskId: 'other-orchestrator', subtaskIds: [TASK_A] })
    expect(only).toEqual({ canComplete: false, unmergedBranches: [a], mergedCount: 0, skippedCount: 0 })
  })

  it('a corrupt record file does not block merging', async () => {
    const repo = makeRepo(dirs)
    const store = await JsonMergeRecordStore.forRepo(repo)
    const { mkdirSync, writeFileSync } = await import('node:fs')
    mkdirSync(join(repo, '.git', 'makima'), { recursive: true })
    writeFileSync(store.file, '{not json')
    expect(await store.get(ORCH)).toEqual({ merged: {}, skipped: {} })
    await store.markSkipped(ORCH, TASK_A, 'r')
    expect(Object.keys((await store.get(ORCH)).skipped)).toEqual([TASK_A])
  })
})
