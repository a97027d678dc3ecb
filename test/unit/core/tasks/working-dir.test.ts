import { describe, expect, it } from 'vitest'
import type { WorkspaceInfo, WorkspacePort } from '../../../../src-main/core/tasks/ports'
import { parseSpawnTask, type SpawnTaskInput } from '../../../../src-main/core/tasks/types'
import { selectWorkingDir } from '../../../../src-main/core/tasks/working-dir'

const ID = '3f2b8a34-9c1d-4e5f-8a7b-1c2d3e4f5a6b'
const OTHER = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'
const wi = (path: string): WorkspaceInfo => ({ path, branch: 'b', repoPath: '/repo', baseSha: 'abc' })

/** A workspace that records calls and answers from a script. */
function fakeWorkspace(over: Partial<WorkspacePort> = {}): { ws: WorkspacePort; calls: string[] } {
  const calls: string[] = []
  const rec = <A extends unknown[], R>(name: string, fn: (...a: A) => R) => (...a: A): R => {
    calls.push(name)
    return fn(...a)
  }
  const ws: WorkspacePort = {
    findWorktree: rec('findWorktree', async () => null),
    isNewRepoRequest: (s) => s.startsWith('new://'),
    initNewRepo: rec('initNewRepo', async () => ({ ok: true as const, value: wi('/wt/new') })),
    ensureRepo: rec('ensureRepo', async (s: string) => ({ ok: true as const, value: s })),
    defaultBranch: rec('defaultBranch', async () => 'main'),
    createWorktree: rec('createWorktree', async () => ({ ok: true as const, value: wi('/wt/fresh') })),
    createWorktreeFromTask: rec('createWorktreeFromTask', async () => ({ ok: true as const, value: wi('/wt/continued') })),
    restoreFromPatch: rec('restoreFromPatch', async () => ({ ok: true as const, value: wi('/wt/restored') })),
    createTempDir: rec('createTempDir', async () => '/tmp/task'),
    copyFiles: rec('copyFiles', async (_f: string, _t: string, files: readonly string[]) => files.map((p) => (p === 'missing.md' ? { path: p, ok: false, error: 'ENOENT' } : { path: p, ok: true }))),
    applyIdentity: rec('applyIdentity', async () => undefined),
    fingerprint: async () => '',
    isIntact: rec('isIntact', async () => true),
    heartbeat: async () => ({ kind: 'clean' }),
    completionAction: async () => ({ ok: true, message: '' }),
    ...over,
  }
  return { ws, calls }
}

async function select(input: Partial<SpawnTaskInput>, ws: WorkspacePort, extra: { recordedPath?: string | null; worktreeOf?: (id: string) => Promise<string | null> } = {}) {
  const parsed = parseSpawnTask({ taskId: ID, taskName: 'n', plan: 'p', ...input })
  if (!parsed.ok) throw new Error(parsed.message)
  const notices: string[] = []
  const r = await selectWorkingDir({
    req: parsed.value, workspace: ws, recordedPath: extra.recordedPath ?? null, worktreeOf: extra.worktreeOf ?? (async () => null),
    identity: { name: 'N', email: 'e@x' }, notice: (t) => notices.push(t), cancelled: () => false,
  })
  return { r, notices }
}

describe('working directory selection (the original order)', () => {
  it('1. resume with an existing worktree reuses it', async () => {
    const { ws, calls } = fakeWorkspace({ findWorktree: async () => '/wt/old' })
    const { r, notices } = await select({ resumeSession: true, repoUrl: '/repo', patchData: 'AAAA', patchBaseSha: 'abcdef1' }, ws)
    expect(r).toEqual({ ok: true, dir: '/wt/old', info: null, reusedExisting: true, isRepo: true })
    expect(calls).not.toContain('restoreFromPatch')
    expect(notices).toEqual(['Resuming session in existing worktree: /wt/old'])
  })

  it('2. a checkpoint patch restores the worktree before anything else', async () => {
    const { ws, calls } = fakeWorkspace()
    const { r } = await select({ resumeSession: true, repoUrl: '/repo', patchData: 'AAAA', patchBaseSha: 'abcdef1' }, ws)
    expect(r).toMatchObject({ ok: true, dir: '/wt/restored', reusedExisting: false })
    expect(calls).toEqual(['findWorktree', 'restoreFromPatch'])
  })

  it('2b. a failed patch restore warns and falls through to a fresh worktree', async () => {
    const { ws } = fakeWorkspace({ restoreFromPatch: async () => ({ ok: false, message: 'bad patch' }) })
    const { r, notices } = await select({ repoUrl: '/repo', patchData: 'AAAA', patchBaseSha: 'abcdef1' }, ws)
    expect(r).toMatchObject({ ok: true, dir: '/wt/fresh' })
    expect(notices).toContain('Warning: Failed to restore from patch (bad patch), starting fresh')
  })

  it('3. new:// makes a new repository with the inherited identity', async () => {
    const { ws, calls } = fakeWorkspace()
    const { r } = await select({ repoUrl: 'new://demo' }, ws)
    expect(r).toMatchObject({ ok: true, dir: '/wt/new', isRepo: true })
    expect(calls).toEqual(['initNewRepo', 'applyIdentity'])
  })

  it('3. a repo: ensure, detect the base branch, fresh worktree, identity', async () => {
    const { ws, calls } = fakeWorkspace()
    const { r } = await select({ repoUrl: '/repo' }, ws)
    expect(r).toMatchObject({ ok: true, dir: '/wt/fresh' })
    expect(calls).toEqual(['ensureRepo', 'defaultBranch', 'createWorktree', 'applyIdentity'])
  })

  it('3. continue-from copies the other task; without its worktree the patch is the fallback, else it fails', async () => {
    const a = fakeWorkspace()
    expect((await select({ repoUrl: '/repo', baseBranch: 'dev', continueFromTaskId: OTHER }, a.ws, { worktreeOf: async () => '/wt/other' })).r).toMatchObject({ dir: '/wt/continued' })
    expect(a.calls).toEqual(['ensureRepo', 'createWorktreeFromTask', 'applyIdentity'])
    const b = fakeWorkspace()
    expect((await select({ repoUrl: '/repo', continueFromTaskId: OTHER, patchData: 'AAAA', patchBaseSha: 'abcdef1' }, b.ws, {})).r).toMatchObject({ dir: '/wt/restored' })
    const c = fakeWorkspace()
    expect((await select({ repoUrl: '/repo', continueFromTaskId: OTHER }, c.ws)).r).toEqual({ ok: false, message: `Cannot continue from task ${OTHER}: no worktree found for it` })
  })

  it('4. no repository: a managed temp dir; copyFiles come from the parent, failures only warned', async () => {
    const { ws, calls } = fakeWorkspace()
    const { r, notices } = await select({ parentTaskId: OTHER, copyFiles: ['PLAN.md', 'missing.md'] }, ws, { worktreeOf: async () => '/wt/parent' })
    expect(r).toEqual({ ok: true, dir: '/tmp/task', info: null, reusedExisting: false, isRepo: false })
    expect(calls).toEqual(['createTempDir', 'copyFiles'])
    expect(notices).toContain('Copying 2 files from orchestrator...')
    expect(notices).toContain('Warning: Could not copy missing.md: ENOENT')
  })

  it('setup failures come back as values with the reason', async () => {
    const { ws } = fakeWorkspace({ ensureRepo: async () => ({ ok: false, message: 'clone failed: no route' }) })
    expect((await select({ repoUrl: 'https://example.invalid/x.git' }, ws)).r).toEqual({ ok: false, message: 'Setup failed: clone failed: no route' })
  })
})
