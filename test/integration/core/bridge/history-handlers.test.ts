// The per-commit view's and the rebase's bridge requests against real repositories: params checked
// by the contract (a sha that is an option is refused before git runs), a commit outside the task's
// history refused as data, a rebase stopped on conflicts shown as the merge status with operation
// 'rebase', and every merge/rebase step tells the views the worktree changed.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatcher, type Dispatch } from '../../../../src-main/core/bridge/dispatch'
import { createGitHandlers } from '../../../../src-main/core/bridge/git-handlers'
import { createHistoryHandlers } from '../../../../src-main/core/bridge/history-handlers'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { TaskRepository } from '../../../../src-main/core/store/task-repository'
import { commitFile, git, makeRepo, TASK_A, TempDirs } from '../../../fixtures/git/repos'
import { taskRecord } from '../../../fixtures/store/task-record'

const me = { trusted: true, label: 'test' }
const dirs = new TempDirs()
let store: Store
let d: Dispatch
let changed: string[]
let repo: string
let wt: string

beforeEach(async () => {
  const root = dirs.make('makima-bridge-history-')
  store = await openStore({ path: join(root, 'db.sqlite') })
  const tasks = new TaskRepository(store.db)
  changed = []
  d = createDispatcher({ ...createGitHandlers({ tasks, tempDir: root, worktreeChanged: (id) => changed.push(id) }), ...createHistoryHandlers({ tasks }) }, silentLogger())
  repo = makeRepo(dirs, { files: { 'shared.txt': 'one\ntwo\nthree\n' } })
  wt = join(dirs.make(), 'wt')
  git(repo, 'worktree', 'add', '-q', '-b', 'makima/a', wt)
  commitFile(wt, 'shared.txt', 'one\ntwo from task\nthree\n', 'task edit')
  commitFile(repo, 'shared.txt', 'one\ntwo from main\nthree\n', 'main edit')
  tasks.save(taskRecord(TASK_A, { worktreePath: wt, state: 'completed', baseBranch: 'main' }))
})
afterEach(() => {
  store.close()
  dirs.cleanup()
})

describe('history and rebase requests', () => {
  it('lists the commits and shows one; refuses an option-like sha and a foreign commit', async () => {
    const list = await d('listTaskCommits', { taskId: TASK_A }, me)
    expect(list).toMatchObject({ ok: true, value: { merged: false, total: 1, commits: [{ subject: 'task edit', parents: 1 }] } })
    const sha = git(wt, 'rev-parse', 'HEAD')
    expect(await d('getCommitDiff', { taskId: TASK_A, sha }, me)).toMatchObject({ ok: true, value: { sha, subject: 'task edit' } })
    expect(await d('getCommitDiff', { taskId: TASK_A, sha: '--output=/tmp/x' }, me)).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(await d('getCommitDiff', { taskId: TASK_A, sha: git(repo, 'rev-parse', 'main') }, me)).toMatchObject({ ok: false, code: 'not-found' })
  })

  it('a rebase stopped on conflicts is the merge status (operation rebase); abort and continue finish it; each step signals', async () => {
    const before = git(wt, 'rev-parse', 'HEAD')
    expect(await d('updateFromBase', { taskId: TASK_A, mode: 'rebase' }, me)).toMatchObject({ ok: true, value: { kind: 'conflicts', files: ['shared.txt'] } })
    expect(await d('mergeStatus', { taskId: TASK_A }, me)).toEqual({ ok: true, value: { inProgress: true, sourceBranch: 'main', conflictedFiles: ['shared.txt'], operation: 'rebase' } })
    expect(await d('mergeAbort', { taskId: TASK_A }, me)).toEqual({ ok: true, value: null })
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(before)
    expect(await d('updateFromBase', { taskId: TASK_A, mode: 'rebase' }, me)).toMatchObject({ ok: true, value: { kind: 'conflicts' } })
    expect(await d('mergeResolve', { taskId: TASK_A, file: 'shared.txt', strategy: 'theirs' }, me)).toMatchObject({ ok: true, value: { inProgress: true, conflictedFiles: [], operation: 'rebase' } })
    expect(await d('mergeCommit', { taskId: TASK_A, message: 'ignored for a rebase' }, me)).toMatchObject({ ok: true, value: { kind: 'merged', message: 'Rebased onto main' } })
    expect(git(wt, 'rev-parse', 'HEAD~1')).toBe(git(repo, 'rev-parse', 'main'))
    expect(changed).toEqual([TASK_A, TASK_A, TASK_A, TASK_A])
    expect(await d('updateFromBase', { taskId: TASK_A, mode: 'sideways' }, me)).toMatchObject({ ok: false, code: 'invalid-params' })
  })
})
