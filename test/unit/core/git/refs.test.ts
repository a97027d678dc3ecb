import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import {
  assertRefName, assertRevision, InvalidRefError, refNameProblem, sanitizeName, shortId, taskIdFromBranch, worktreeNames,
} from '../../../../src-main/core/git/refs'
import { parseNameStatus, sumNumstat } from '../../../../src-main/core/git/checkpoint'
import { parsePrUrl } from '../../../../src-main/core/git/pull-request'
import { cloneDirName, isRemoteUrl, parseCloneProgress } from '../../../../src-main/core/git/ensure-repo'
import { parseResolutionStrategy } from '../../../../src-main/core/git/resolve-conflict'
import { expandTilde, isInside } from '../../../../src-main/core/git/paths'

const ID = '0a1b2c3d-1111-4222-8333-444455556666'

describe('ref names', () => {
  const bad = ['', '-x', '--upload-pack=evil', 'a..b', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[', 'a\\b', '/a', 'a/', 'a//b', 'a.', 'a@{1}', '@', 'HEAD', '.a', 'a/.b', 'x.lock', 'a/b.lock/c', 'tab\there', 'nl\nx']
  const good = ['main', 'makima/feature-0a1b2c3d', 'release/1.2', 'a-b_c', 'x@y', 'ünïcode']

  it.each(bad)('refuses %j', (name) => {
    expect(refNameProblem(name)).not.toBeNull()
    expect(() => assertRefName(name)).toThrow(InvalidRefError)
  })
  it.each(good)('accepts %j', (name) => {
    expect(refNameProblem(name)).toBeNull()
  })
  it('agrees with git check-ref-format --branch on every case', () => {
    for (const name of [...bad, ...good].filter((n) => n && !n.startsWith('-') && !/[\n\t]/.test(n))) {
      let gitOk = true
      try {
        execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' })
      } catch {
        gitOk = false
      }
      // We are allowed to be stricter than git (HEAD), never looser.
      if (refNameProblem(name) === null) expect(gitOk, name).toBe(true)
    }
  })
  it('revisions may be shas or HEAD~2 but never options or whitespace', () => {
    expect(assertRevision('HEAD~2')).toBe('HEAD~2')
    expect(() => assertRevision('--all')).toThrow(InvalidRefError)
    expect(() => assertRevision('a b')).toThrow(InvalidRefError)
  })
})

describe('task naming', () => {
  it('sanitizes like the original: lowercase, non-alphanumerics to dashes, 50 chars', () => {
    expect(sanitizeName('Add User Auth!')).toBe('add-user-auth')
    expect(sanitizeName('makima system: add directive question asking capability')).toBe('makima-system--add-directive-question-asking-capab')
    expect(sanitizeName('!!!')).toBe('task')
    expect(sanitizeName('Ünïcode ☃')).toBe('n-code')
  })
  it('names the worktree dir and branch from the short id', () => {
    const n = worktreeNames('/wt', ID, 'Fix Bug')
    expect(n.dir).toBe('/wt/0a1b2c3d-fix-bug')
    expect(n.branch).toBe('makima/fix-bug-0a1b2c3d')
    expect(shortId(ID)).toBe('0a1b2c3d')
    expect(() => shortId('abc')).toThrow(InvalidRefError)
  })
  it('parses the task id from a branch name', () => {
    expect(taskIdFromBranch('makima/fix-bug-0a1b2c3d')).toEqual({ shortId: '0a1b2c3d', taskId: null })
    expect(taskIdFromBranch('makima/fix-bug-0a1b2c3d', [ID, '11111111-0000-4000-8000-000000000000'])).toEqual({ shortId: '0a1b2c3d', taskId: ID })
    expect(taskIdFromBranch(`makima/task-${ID}`)).toEqual({ shortId: '0a1b2c3d', taskId: ID })
    expect(taskIdFromBranch('feature/x')).toBeNull()
    // Two known ids with the same prefix: ambiguous, so no full id.
    expect(taskIdFromBranch('makima/x-0a1b2c3d', [ID, '0a1b2c3d-ffff-4fff-8fff-ffffffffffff'])?.taskId).toBeNull()
  })
})

describe('parsers', () => {
  it('name-status with renames', () => {
    expect(parseNameStatus('M\0a.txt\0A\0b.txt\0R100\0old.txt\0new.txt\0D\0gone.txt\0')).toEqual([
      { action: 'modified', path: 'a.txt' },
      { action: 'added', path: 'b.txt' },
      { action: 'renamed', path: 'new.txt', oldPath: 'old.txt' },
      { action: 'deleted', path: 'gone.txt' },
    ])
  })
  it('numstat sums text lines and skips binary', () => {
    expect(sumNumstat('3\t1\ta.txt\n-\t-\tbin.png\n10\t0\tb.txt\n')).toEqual({ added: 13, removed: 1 })
  })
  it('PR URL and number from gh output', () => {
    expect(parsePrUrl('Creating pull request\n\nhttps://github.com/o/r/pull/17\n')).toEqual({ url: 'https://github.com/o/r/pull/17', number: 17 })
    expect(parsePrUrl('nothing here')).toBeNull()
  })
  it('clone progress', () => {
    expect(parseCloneProgress('Receiving objects:  45% (450/1000)')).toMatchObject({ phase: 'Receiving objects', percent: 45 })
    expect(parseCloneProgress('remote: Counting objects: 100% (3/3), done.')).toMatchObject({ phase: 'Counting objects', percent: 100 })
    expect(parseCloneProgress("Cloning into 'x'...")).toMatchObject({ phase: 'info', percent: null })
  })
  it('remote URLs vs local paths, and clone dir names', () => {
    expect(isRemoteUrl('https://github.com/a/b.git')).toBe(true)
    expect(isRemoteUrl('git@github.com:a/b.git')).toBe(true)
    expect(isRemoteUrl('/home/me/repo')).toBe(false)
    expect(isRemoteUrl('~/repo')).toBe(false)
    expect(cloneDirName('https://github.com/a/b.git')).toBe('github.com-a-b')
    expect(cloneDirName('git@github.com:a/b.git')).toBe('github.com-a-b')
    expect(cloneDirName('https://github.com/c/b')).not.toBe(cloneDirName('https://github.com/a/b'))
  })
  it('merge strategies from the server, case-insensitive', () => {
    expect(parseResolutionStrategy('OURS')).toEqual({ kind: 'ours' })
    expect(parseResolutionStrategy('theirs')).toEqual({ kind: 'theirs' })
    expect(parseResolutionStrategy('mine')).toBeNull()
  })
  it('paths', () => {
    expect(expandTilde('~/x', '/home/u')).toBe('/home/u/x')
    expect(expandTilde('/abs', '/home/u')).toBe('/abs')
    expect(isInside('/a/b', '/a/b/c')).toBe(true)
    expect(isInside('/a/b', '/a/bc')).toBe(false)
    expect(isInside('/a/b', '/a')).toBe(false)
  })
})
