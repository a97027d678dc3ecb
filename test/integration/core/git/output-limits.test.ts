// Memory around git: a call's stdout is capped (the child is killed past the limit), a checkpoint
// patch is gzipped as git prints it and git is stopped once the compressed size passes the limit,
// and a task diff too large for one answer is answered "too large", not shipped whole.
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { createCheckpointPatch } from '../../../../src-main/core/git/patch'
import { GitOutputTooLargeError, runGit } from '../../../../src-main/core/git/run'
import { getTaskDiff } from '../../../../src-main/core/git/task-diff'
import { commitFile, git, makeRepo, TempDirs, write } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
afterAll(() => dirs.cleanup())

describe('git output limits', () => {
  it('ends a call whose stdout passes its limit with GitOutputTooLargeError', async () => {
    const repo = makeRepo(dirs)
    commitFile(repo, 'big.txt', 'x'.repeat(2 * 1024 * 1024))
    const call = runGit(['show', 'HEAD:big.txt'], { operation: 'show', cwd: repo, maxStdoutBytes: 64 * 1024 })
    await expect(call).rejects.toBeInstanceOf(GitOutputTooLargeError)
    expect((await runGit(['show', 'HEAD:big.txt'], { operation: 'show', cwd: repo })).stdout).toHaveLength(2 * 1024 * 1024)
  })

  it('stops a checkpoint patch once its compressed size passes the limit, without reading it all', async () => {
    const repo = makeRepo(dirs)
    const base = git(repo, 'rev-parse', 'HEAD')
    write(repo, 'noise.bin', randomBytes(48 * 1024 * 1024)) // incompressible: ~64 MB as a binary diff
    const r = await createCheckpointPatch(repo, base, 1024 * 1024)
    expect(r.kind).toBe('too-large')
    // Stopped near the limit (gzip's own buffer aside), not after compressing all of it.
    expect(r.kind === 'too-large' && r.compressedBytes).toBeLessThan(8 * 1024 * 1024)
    write(repo, 'noise.bin', 'small now\n')
    expect((await createCheckpointPatch(repo, base, 1024 * 1024)).kind).toBe('patch')
  }, 60_000)

  it('answers a task diff past its limit as too large', async () => {
    const repo = makeRepo(dirs)
    write(repo, 'huge.txt', 'line\n'.repeat(100_000))
    expect(await getTaskDiff({ worktree: repo, baseBranch: 'main', maxBytes: 64 * 1024 })).toEqual({ kind: 'too-large', limitBytes: 64 * 1024 })
    expect((await getTaskDiff({ worktree: repo, baseBranch: 'main' })).kind).toBe('uncommitted')
  })
})
