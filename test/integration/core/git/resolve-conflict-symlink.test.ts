// Resolving a conflict with edited content must never write through a symlink: not one that is
// there when the path is checked, and not one swapped in between the check and the write.
import { lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PathEscapeError, resolveConflict, startMerge } from '../../../../src-main/core/git'
import { git, makeConflictRepo, TempDirs } from '../../../fixtures/git/repos'

// Runs right after resolveInside has approved the path: the window an attacker would race in.
const race = vi.hoisted(() => ({ afterCheck: null as null | (() => void) }))
vi.mock('../../../../src-main/core/git/paths', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../../../src-main/core/git/paths')>()
  return {
    ...orig,
    resolveInside: async (root: string, rel: string) => {
      const abs = await orig.resolveInside(root, rel)
      race.afterCheck?.()
      return abs
    },
  }
})

const dirs = new TempDirs()
afterEach(() => {
  race.afterCheck = null
  dirs.cleanup()
})

async function conflicted(): Promise<{ repo: string; outside: string }> {
  const { repo, branch } = makeConflictRepo(dirs)
  expect(await startMerge({ worktree: repo, sourceBranch: branch })).toMatchObject({ kind: 'conflicts', files: ['shared.txt'] })
  const outside = join(dirs.make('makima-outside-'), 'victim.txt')
  writeFileSync(outside, 'precious\n')
  return { repo, outside }
}

function swapForLink(repo: string, target: string): void {
  rmSync(join(repo, 'shared.txt'))
  symlinkSync(target, join(repo, 'shared.txt'))
}

const content = { kind: 'content', content: 'one\nresolved\nthree\n' } as const

describe('resolveConflict with content and symlinks', () => {
  it('refuses a symlink to outside the repo that is already there, and leaves the target untouched', async () => {
    const { repo, outside } = await conflicted()
    swapForLink(repo, outside)
    await expect(resolveConflict({ worktree: repo, file: 'shared.txt', resolution: content })).rejects.toThrow(PathEscapeError)
    expect(readFileSync(outside, 'utf8')).toBe('precious\n')
    expect(git(repo, 'diff', '--name-only', '--diff-filter=U')).toBe('shared.txt')
  })

  it('refuses a symlink swapped in after the path check (O_NOFOLLOW), and leaves the target untouched', async () => {
    const { repo, outside } = await conflicted()
    race.afterCheck = () => swapForLink(repo, outside)
    await expect(resolveConflict({ worktree: repo, file: 'shared.txt', resolution: content })).rejects.toThrow(PathEscapeError)
    expect(readFileSync(outside, 'utf8')).toBe('precious\n')
    expect(lstatSync(join(repo, 'shared.txt')).isSymbolicLink()).toBe(true)
    expect(git(repo, 'diff', '--name-only', '--diff-filter=U')).toBe('shared.txt')
  })

  it('refuses a symlink that points inside the repo too (the write never follows links)', async () => {
    const { repo } = await conflicted()
    swapForLink(repo, join(repo, 'README.md'))
    await expect(resolveConflict({ worktree: repo, file: 'shared.txt', resolution: content })).rejects.toThrow(PathEscapeError)
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# test\n')
  })

  it('refuses when a parent directory is swapped for a symlink after the check', async () => {
    const { repo, outside } = await conflicted()
    // A conflicted file in a subdirectory: resolve it while its directory turns into a link.
    git(repo, 'merge', '--abort')
    mkdirSync(join(repo, 'sub'))
    writeFileSync(join(repo, 'sub', 'f.txt'), 'a\n')
    git(repo, 'add', '--', 'sub/f.txt')
    git(repo, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'sub')
    git(repo, 'checkout', '-q', '-b', 'makima/sub-0a1b2c3d', 'HEAD~1')
    mkdirSync(join(repo, 'sub'))
    writeFileSync(join(repo, 'sub', 'f.txt'), 'b\n')
    git(repo, 'add', '--', 'sub/f.txt')
    git(repo, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'sub b')
    git(repo, 'checkout', '-q', 'main')
    expect(await startMerge({ worktree: repo, sourceBranch: 'makima/sub-0a1b2c3d' })).toMatchObject({ kind: 'conflicts', files: ['sub/f.txt'] })
    const outsideDir = join(outside, '..')
    writeFileSync(join(outsideDir, 'f.txt'), 'outside\n')
    race.afterCheck = () => {
      rmSync(join(repo, 'sub'), { recursive: true })
      symlinkSync(outsideDir, join(repo, 'sub'))
    }
    await expect(resolveConflict({ worktree: repo, file: 'sub/f.txt', resolution: content })).rejects.toThrow(PathEscapeError)
    expect(readFileSync(join(outsideDir, 'f.txt'), 'utf8')).toBe('outside\n')
  })

  it('still writes a normal conflicted file and stages it', async () => {
    const { repo } = await conflicted()
    expect(await resolveConflict({ worktree: repo, file: 'shared.txt', resolution: content })).toEqual({ kind: 'resolved', file: 'shared.txt', remaining: [] })
    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe('one\nresolved\nthree\n')
    expect(lstatSync(join(repo, 'shared.txt')).isSymbolicLink()).toBe(false)
    expect(git(repo, 'show', ':shared.txt')).toBe('one\nresolved\nthree')
  })
})
