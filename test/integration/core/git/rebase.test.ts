// "Update from base" by rebase on real repositories: a clean replay, a stop on conflicts resolved
// in the conflict engine and continued, an abort that leaves the branch exactly as it was.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { abortRebase, continueRebase, rebaseInProgress, rebaseOnto, resolveConflict, startRebase, getConflictVersions } from '../../../../src-main/core/git'
import { commitFile, git, makeRepo, TempDirs, write } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
afterAll(() => dirs.cleanup())

/** main and the task both changed line two of shared.txt (conflict) unless `clean`. */
function setup(clean = false) {
  const repo = makeRepo(dirs, { files: { 'shared.txt': 'one\ntwo\nthree\n' } })
  const wt = join(dirs.make(), 'wt')
  git(repo, 'worktree', 'add', '-q', '-b', 'makima/t', wt)
  commitFile(wt, clean ? 'task.txt' : 'shared.txt', clean ? 'task\n' : 'one\ntwo from task\nthree\n', 'task change')
  commitFile(wt, 'extra.txt', 'extra\n', 'task extra')
  commitFile(repo, 'shared.txt', 'one\ntwo from main\nthree\n', 'main change')
  return { repo, wt }
}

describe('rebase onto the base', () => {
  it('replays the task commits on top of the base when nothing conflicts', async () => {
    const { repo, wt } = setup(true)
    const r = await startRebase({ worktree: wt, onto: 'main' })
    expect(r.kind).toBe('rebased')
    expect(git(wt, 'rev-parse', 'HEAD~2')).toBe(git(repo, 'rev-parse', 'main'))
    expect(git(wt, 'log', '--format=%s', '-3')).toBe('task extra\ntask change\nmain change')
    expect((await startRebase({ worktree: wt, onto: 'main' })).kind).toBe('up-to-date')
  })

  it('stops on conflicts with the stages for the editor, and continues once resolved', async () => {
    const { repo, wt } = setup()
    const r = await startRebase({ worktree: wt, onto: 'main' })
    expect(r).toEqual({ kind: 'conflicts', files: ['shared.txt'] })
    expect(await rebaseInProgress(wt)).toBe(true)
    expect(await rebaseOnto(wt)).toBe('main')
    const v = await getConflictVersions({ worktree: wt, file: 'shared.txt' })
    expect(v.kind === 'versions' && v.versions.theirs).toMatchObject({ kind: 'text', content: 'one\ntwo from task\nthree\n' })
    expect((await continueRebase(wt)).kind).toBe('conflicts') // not resolved yet
    expect((await resolveConflict({ worktree: wt, file: 'shared.txt', resolution: { kind: 'theirs' } })).kind).toBe('resolved')
    const done = await continueRebase(wt)
    expect(done.kind).toBe('rebased')
    expect(await rebaseInProgress(wt)).toBe(false)
    expect(git(wt, 'show', 'HEAD:shared.txt')).toBe('one\ntwo from task\nthree')
    expect(git(wt, 'rev-parse', 'HEAD~2')).toBe(git(repo, 'rev-parse', 'main'))
  })

  it('an abort leaves the branch exactly as it was', async () => {
    const { wt } = setup()
    const before = git(wt, 'rev-parse', 'HEAD')
    expect((await startRebase({ worktree: wt, onto: 'main' })).kind).toBe('conflicts')
    expect(await abortRebase(wt)).toEqual({ kind: 'aborted' })
    expect(await rebaseInProgress(wt)).toBe(false)
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(before)
    expect(git(wt, 'status', '--porcelain')).toBe('')
    expect(await abortRebase(wt)).toEqual({ kind: 'no-rebase' })
  })

  it('refuses over uncommitted work and a missing branch', async () => {
    const { wt } = setup(true)
    expect(await startRebase({ worktree: wt, onto: 'nope' })).toEqual({ kind: 'branch-missing', branch: 'nope' })
    write(wt, 'task.txt', 'dirty\n')
    expect(await startRebase({ worktree: wt, onto: 'main' })).toEqual({ kind: 'uncommitted-changes' })
  })
})
