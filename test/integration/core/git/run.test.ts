// The runner: declared exit codes, typed errors, timeouts, a clean environment — and git under a
// non-English locale in the environment still parses (we force LC_ALL=C).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CommandNotFoundError, createWorktree, ensureRepo, GitError, gitEnv, heartbeatCommit, removeWorktree, runGit, startMerge,
  type CloneProgress,
} from '../../../../src-main/core/git'
import { git, makeConflictRepo, makeRepo, makeRepoWithRemote, TASK_A, TempDirs, write } from '../../../fixtures/git/repos'

const dirs = new TempDirs()
afterEach(() => dirs.cleanup())

describe('runGit', () => {
  it('returns declared success codes and throws GitError with operation, args and stderr otherwise', async () => {
    const repo = makeRepo(dirs)
    const r = await runGit(['config', '--get', 'no.such'], { operation: 'config', cwd: repo, okExitCodes: [0, 1] })
    expect(r.exitCode).toBe(1)
    const err = await runGit(['rev-parse', '--verify', 'nope'], { operation: 'probe', cwd: repo }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitError)
    expect(err).toMatchObject({ operation: 'probe', args: ['rev-parse', '--verify', 'nope'], exitCode: 128, cwd: repo })
    expect((err as GitError).stderr).toMatch(/fatal: Needed a single revision/)
  })

  it('kills a command that outlives its timeout', async () => {
    const err = await runGit(['-e', 'setTimeout(() => {}, 20000)'], { operation: 'slow', cwd: dirs.make(), command: process.execPath, timeoutMs: 200 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitError)
    expect((err as Error).message).toMatch(/timed out after 200 ms/)
  })

  it('tells a missing program from a missing working directory', async () => {
    await expect(runGit(['x'], { operation: 'x', cwd: dirs.make(), command: 'no-such-program-makima' })).rejects.toBeInstanceOf(CommandNotFoundError)
    await expect(runGit(['status'], { operation: 'status', cwd: '/nonexistent/dir' })).rejects.toThrow(/working directory \/nonexistent\/dir does not exist/)
  })

  it('passes binary stdin and stdout through untouched', async () => {
    const repo = makeRepo(dirs)
    const data = Buffer.from([0, 1, 2, 255, 254, 10, 13])
    const sha = (await runGit(['hash-object', '-w', '--stdin'], { operation: 'hash', cwd: repo, stdin: data })).stdout.trim()
    const back = await runGit(['cat-file', 'blob', sha], { operation: 'cat', cwd: repo })
    expect(back.stdoutBuffer.equals(data)).toBe(true)
  })

  it('environment: C locale, no prompts, no inherited GIT_DIR', () => {
    const saved = { ...process.env }
    try {
      process.env.GIT_DIR = '/somewhere/else'
      process.env.LANGUAGE = 'de'
      const env = gitEnv()
      expect(env.LC_ALL).toBe('C')
      expect(env.GIT_TERMINAL_PROMPT).toBe('0')
      expect(env.GIT_DIR).toBeUndefined()
      expect(env.LANGUAGE).toBeUndefined()
      expect(gitEnv({ LC_ALL: undefined }).LC_ALL).toBeUndefined()
    } finally {
      process.env = saved
    }
  })
})

describe('a non-English locale in the environment', () => {
  const saved = { ...process.env }
  beforeEach(() => {
    // LANGUAGE picks git's German catalogue under any non-"C" locale; de_DE itself may not be
    // generated on this machine, C.UTF-8 always is.
    process.env.LANGUAGE = 'de'
    process.env.LANG = 'C.UTF-8'
    delete process.env.LC_ALL
    delete process.env.LC_MESSAGES
  })
  afterEach(() => {
    process.env = { ...saved }
  })

  it('git really speaks German here (so the rest of this test means something)', () => {
    const repo = makeRepo(dirs)
    const raw = execFileSync('git', ['status'], { cwd: repo, env: process.env, encoding: 'utf8' })
    // Skip-proofing: if the German catalogue were missing this would fail loudly, not pass quietly.
    expect(raw).toMatch(/Auf Branch main/)
  })

  it('operations still parse: clone progress, worktrees, merge conflicts, heartbeat, errors', async () => {
    const { bare } = makeRepoWithRemote(dirs)
    const progress: CloneProgress[] = []
    const cloned = await ensureRepo({ source: `file://${bare}`, reposDir: dirs.make(), onProgress: (p) => progress.push(p) })
    expect(cloned.kind).toBe('cloned')
    expect(progress.some((p) => p.percent !== null && /objects|deltas/i.test(p.phase))).toBe(true)
    expect(progress.every((p) => !/Empfange|Löse|Zähle/.test(p.line))).toBe(true)

    const { repo, branch } = makeConflictRepo(dirs)
    expect(await startMerge({ worktree: repo, sourceBranch: branch })).toEqual({ kind: 'conflicts', files: ['shared.txt'] })
    git(repo, 'merge', '--abort')

    const wt = await createWorktree({ repoPath: repo, worktreesDir: dirs.make(), taskId: TASK_A, name: 'de' })
    if (wt.kind !== 'created') throw new Error(JSON.stringify(wt))
    write(wt.worktree.path, 'x.txt', 'x\n')
    const hb = await heartbeatCommit({ worktree: wt.worktree.path, patch: { enabled: true } })
    expect(hb).toMatchObject({ kind: 'committed', patch: { kind: 'patch' } })
    expect(await removeWorktree({ worktree: wt.worktree.path, deleteBranch: true })).toMatchObject({ kind: 'removed', branchDeleted: true })

    const err = await runGit(['status'], { operation: 'status', cwd: join(dirs.make()) }).catch((e: GitError) => e)
    expect((err as GitError).stderr).toMatch(/fatal: not a git repository/)
  })
})
