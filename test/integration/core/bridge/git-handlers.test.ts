// The bridge's git requests with hostile values, against real repositories: paths that try to leave
// the worktree (.., absolute, a symlinked conflicted file), names git would read as options, and a
// PR title/body full of shell syntax — each refused as data or passed to gh as one literal argument.
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatcher, type Dispatch } from '../../../../src-main/core/bridge/dispatch'
import { createGitHandlers } from '../../../../src-main/core/bridge/git-handlers'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { TaskRepository } from '../../../../src-main/core/store/task-repository'
import { fakeGhEnv, recordedCalls } from '../../../fixtures/fake-gh'
import { git, makeConflictRepo, makeRepo, TASK_A, TempDirs } from '../../../fixtures/git/repos'
import { taskRecord } from '../../../fixtures/store/task-record'

const me = { trusted: true, label: 'test' }
const dirs = new TempDirs()
let store: Store
let tasks: TaskRepository
let ghLog: string
let d: Dispatch

beforeEach(async () => {
  const root = dirs.make('makima-bridge-git-')
  store = await openStore({ path: join(root, 'db.sqlite') })
  tasks = new TaskRepository(store.db)
  ghLog = join(root, 'gh.log')
  d = createDispatcher(createGitHandlers({ tasks, tempDir: root, ghEnv: fakeGhEnv({ logFile: ghLog }) }), silentLogger())
})
afterEach(() => {
  store.close()
  dirs.cleanup()
})

describe('bridge git requests with hostile values', () => {
  it('conflict paths stay inside the worktree: .., absolute and a symlink that leads out are refused', async () => {
    const { repo, branch } = makeConflictRepo(dirs)
    tasks.save(taskRecord(TASK_A, { worktreePath: repo, state: 'completed' }))
    expect(await d('mergeStart', { taskId: TASK_A, sourceBranch: branch }, me)).toMatchObject({ ok: true, value: { kind: 'conflicts', files: ['shared.txt'] } })
    for (const file of ['../outside.txt', '/etc/passwd', 'a/../../x', '..\\x', 'sub/..']) {
      expect(await d('getConflictVersions', { taskId: TASK_A, file }, me), file).toMatchObject({ ok: false, code: 'invalid-params' })
      expect(await d('mergeResolve', { taskId: TASK_A, file, content: 'x' }, me), file).toMatchObject({ ok: false, code: 'invalid-params' })
    }
    // The agent (or anyone with the worktree) swaps the conflicted file for a link to a file outside.
    const outside = join(dirs.make(), 'victim.txt')
    writeFileSync(outside, 'precious\n')
    rmSync(join(repo, 'shared.txt'))
    symlinkSync(outside, join(repo, 'shared.txt'))
    const r = await d('mergeResolve', { taskId: TASK_A, file: 'shared.txt', content: 'overwritten\n' }, me)
    expect(r).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(readFileSync(outside, 'utf8')).toBe('precious\n')
    expect(await d('getConflictVersions', { taskId: TASK_A, file: 'shared.txt' }, me)).toMatchObject({ ok: false, code: 'invalid-params' })
  })

  it('branch names git would read as options or revisions are refused before git runs', async () => {
    const repo = makeRepo(dirs)
    tasks.save(taskRecord(TASK_A, { worktreePath: repo, state: 'completed' }))
    for (const name of ['-x', '--upload-pack=touch pwned', 'a..b', 'x\ny', 'HEAD@{1}', 'a b', '\u0007bell']) {
      expect(await d('mergeStart', { taskId: TASK_A, sourceBranch: name }, me), name).toMatchObject({ ok: false, code: 'invalid-params' })
      expect(await d('mergeTaskToTarget', { taskId: TASK_A, targetBranch: name }, me), name).toMatchObject({ ok: false, code: 'invalid-params' })
      expect(await d('createPullRequest', { taskId: TASK_A, title: 't', base: name }, me), name).toMatchObject({ ok: false, code: 'invalid-params' })
    }
    expect(existsSync(join(repo, 'pwned'))).toBe(false)
  })

  it('a PR title and body reach gh as single literal arguments, never through a shell', async () => {
    const repo = makeRepo(dirs)
    const origin = join(dirs.make(), 'origin.git')
    git(repo, 'clone', '-q', '--bare', repo, origin)
    git(repo, 'remote', 'add', 'origin', origin)
    git(repo, 'checkout', '-q', '-b', `makima/x-${TASK_A.slice(0, 8)}`)
    tasks.save(taskRecord(TASK_A, { worktreePath: repo, state: 'completed', baseBranch: 'main' }))
    const title = '--web $(touch pwned-title) `touch pwned-tick`; touch pwned-semi'
    const body = '-b\n$(touch pwned-body) && echo "$HOME" | tee pwned-pipe'
    const r = await d('createPullRequest', { taskId: TASK_A, title, body }, me)
    expect(r).toMatchObject({ ok: true, value: { number: 42 } })
    const create = recordedCalls(ghLog).find((a) => a[0] === 'pr' && a[1] === 'create')!
    expect(create[create.indexOf('--title') + 1]).toBe(title)
    expect(create[create.indexOf('--body') + 1]).toBe(body)
    for (const f of ['pwned-title', 'pwned-tick', 'pwned-semi', 'pwned-body', 'pwned-pipe']) expect(existsSync(join(repo, f)), f).toBe(false)
  })

  it('the worktree of a task that is still active is never removed', async () => {
    const repo = makeRepo(dirs)
    for (const state of ['pending', 'initializing', 'starting', 'running', 'paused'] as const) {
      tasks.save(taskRecord(TASK_A, { worktreePath: repo, state }))
      expect(await d('removeWorktree', { taskId: TASK_A, deleteBranch: true }, me), state).toMatchObject({ ok: false, code: 'conflict' })
      expect(existsSync(join(repo, 'README.md'))).toBe(true)
    }
  })
})
