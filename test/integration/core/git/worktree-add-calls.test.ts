// Creating a task's worktree costs three git processes when its branch is new (each spawn blocks the
// core while it forks; a burst of 100 starts made 800 of them). Counted with a `git` on PATH that
// logs each call and runs the real git. Stale admin entries in the way are still cleared.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWorktree } from '../../../../src-main/core/git'
import { commitFile, git, makeRepo, makeRepoWithRemote, TASK_A, TASK_B, TempDirs } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
const realPath = process.env.PATH
let log: string

beforeEach(() => {
  const bin = dirs.make('makima-git-shim-')
  log = join(bin, 'calls')
  writeFileSync(log, '')
  writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$1" >> '${log}'\nexec /usr/bin/git "$@"\n`)
  chmodSync(join(bin, 'git'), 0o755)
  process.env.PATH = `${bin}:${realPath}`
})
afterEach(() => {
  process.env.PATH = realPath
  dirs.cleanup()
})

const calls = () => readFileSync(log, 'utf8').split('\n').filter(Boolean)
function created<T extends { kind: string }>(o: T): Extract<T, { kind: 'created' }> {
  if (o.kind !== 'created') throw new Error(`expected created, got ${JSON.stringify(o)}`)
  return o as Extract<T, { kind: 'created' }>
}

describe('createWorktree git calls', () => {
  it('a new branch: three git processes, and the worktree is right', async () => {
    const repo = makeRepo(dirs)
    const wtDir = join(dirs.make(), 'worktrees')
    writeFileSync(log, '')
    const { worktree } = created(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'fast', baseRef: 'main' }))
    expect(calls()).toHaveLength(3)
    expect(calls()).toContain('worktree')
    expect(git(worktree.path, 'branch', '--show-current')).toBe(worktree.branch)
    expect(worktree.baseSha).toBe(git(repo, 'rev-parse', 'main'))
    expect(worktree.repoPath).toBe(git(repo, 'rev-parse', '--show-toplevel'))
    // From another task's worktree, the main working tree is still the clone.
    const second = created(await createWorktree({ repoPath: worktree.path, worktreesDir: wtDir, taskId: TASK_B, name: 'next' })).worktree
    expect(second.repoPath).toBe(worktree.repoPath)
    expect(second.baseSha).toBe(git(worktree.path, 'rev-parse', 'HEAD'))
  })

  it('a base only on origin is found in the same lookup', async () => {
    const { repo: clone } = makeRepoWithRemote(dirs)
    git(clone, 'checkout', '-q', '-b', 'feature')
    const tip = commitFile(clone, 'f.txt', 'f\n')
    git(clone, 'push', '-q', 'origin', 'feature')
    git(clone, 'checkout', '-q', 'main')
    git(clone, 'branch', '-q', '-D', 'feature')
    writeFileSync(log, '')
    const { worktree } = created(await createWorktree({ repoPath: clone, worktreesDir: dirs.make(), taskId: TASK_A, name: 'o', baseRef: 'feature' }))
    expect(worktree.baseSha).toBe(tip)
    expect(calls()).toHaveLength(3)
  })

  it('a stale admin entry at the target path (its directory deleted) is pruned and the add retried', async () => {
    const repo = makeRepo(dirs)
    const wtDir = dirs.make()
    const target = join(wtDir, '0a1b2c3d-stale')
    git(repo, 'worktree', 'add', '--quiet', '--detach', target)
    rmSync(target, { recursive: true, force: true })
    const { worktree } = created(await createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: TASK_A, name: 'stale' }))
    expect(worktree.path).toBe(target)
    expect(git(target, 'branch', '--show-current')).toBe(worktree.branch)
  })
})
