// Every git command round-trips against the fake server on real repositories, through the GitPort
// adapter over the real git engine; every reply is checked by the PROTOCOL.md schemas.
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitAdapter } from '../../../../src-main/core/server/git-adapter'
import type { Message } from '../../../../src-main/core/server/protocol'
import { FakeServer } from '../../../fixtures/fake-server/server'
import { tempDir } from './helpers'
import { makeLink, type Harness } from './link-harness'

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim()

let server: FakeServer
let h: Harness
let root: string
let repo: string
let wt: string
const orch = randomUUID()
const subClean = randomUUID()
const subConflict = randomUUID()

beforeAll(async () => {
  root = await tempDir('makima-server-git-')
  repo = join(root, 'repo')
  await mkdir(repo)
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'config', 'user.email', 'dev@example.com')
  git(repo, 'config', 'user.name', 'Dev Person')
  await writeFile(join(repo, 'shared.txt'), 'base\n')
  await writeFile(join(repo, 'README.md'), '# repo\n')
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'initial')
  git(root, 'init', '-q', '--bare', 'origin.git')
  git(repo, 'remote', 'add', 'origin', join(root, 'origin.git'))
  // Two subtask branches: one merges cleanly, one conflicts with the orchestrator's work.
  for (const [id, file, text] of [[subClean, 'clean.txt', 'clean\n'], [subConflict, 'shared.txt', 'theirs\n']] as const) {
    git(repo, 'checkout', '-q', '-b', `makima/sub-${id.slice(0, 8)}`, 'main')
    await writeFile(join(repo, file), text)
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', `work of ${id.slice(0, 8)}`)
  }
  git(repo, 'checkout', '-q', 'main')
  wt = join(root, 'worktrees', `${orch.slice(0, 8)}-orch`)
  git(repo, 'worktree', 'add', '-q', '-b', `makima/orch-${orch.slice(0, 8)}`, wt, 'main')
  await writeFile(join(wt, 'shared.txt'), 'ours\n')
  git(wt, 'commit', '-q', '-am', 'orchestrator work')

  const gh = join(root, 'gh')
  await writeFile(gh, '#!/bin/sh\nif [ "$1" = auth ]; then exit 0; fi\necho "Creating pull request"\necho "https://github.com/acme/repo/pull/17"\n')
  await chmod(gh, 0o755)

  server = new FakeServer()
  await server.start()
  h = await makeLink({
    url: server.url,
    git: createGitAdapter({ knownTaskIds: () => [orch, subClean, subConflict], ghCommand: gh, defaultSourceDir: repo }),
  })
  h.engine.tasks.set(orch, { id: orch, state: 'running', child: null, messages: [] })
  h.engine.worktrees.set(orch, { taskId: orch, path: wt, branch: `makima/orch-${orch.slice(0, 8)}`, baseBranch: 'main' })
  h.link.start()
  await server.waitForSession()
})

afterAll(async () => {
  await h?.close()
  await server?.kill()
})

/** Sends one command and returns the reply of the expected type for that task. */
async function roundTrip<T extends Message['type']>(command: Record<string, unknown>, reply: T): Promise<Extract<Message, { type: T }>> {
  const from = server.messages.length
  server.send(command)
  const key = 'requestId' in command ? 'requestId' : 'taskId'
  const r = await server.waitFor((rec) => rec.message?.type === reply && (key in rec.message ? (rec.message as Record<string, unknown>)[key] === command[key] : true), 20_000, from)
  expect(r.error).toBeNull()
  return r.message as Extract<Message, { type: T }>
}

describe('git commands over the wire', () => {
  it('lists task branches', async () => {
    const out = await roundTrip({ type: 'listBranches', taskId: orch }, 'branchList')
    const names = out.branches.map((b) => b.name)
    expect(names).toEqual(expect.arrayContaining([`makima/sub-${subClean.slice(0, 8)}`, `makima/sub-${subConflict.slice(0, 8)}`]))
    expect(out.branches.find((b) => b.name.endsWith(subClean.slice(0, 8)))).toMatchObject({ taskId: subClean, isMerged: false })
  })

  it('merges, reports conflicts, resolves, commits, aborts, skips and checks completion', async () => {
    const clean = await roundTrip({ type: 'mergeStart', taskId: orch, sourceBranch: `makima/sub-${subClean.slice(0, 8)}` }, 'mergeResult')
    expect(clean).toMatchObject({ success: true, message: 'Merge completed without conflicts' })
    expect(clean.commitSha).toMatch(/^[0-9a-f]{40}$/)
    const conflict = await roundTrip({ type: 'mergeStart', taskId: orch, sourceBranch: `makima/sub-${subConflict.slice(0, 8)}` }, 'mergeResult')
    expect(conflict).toMatchObject({ success: false, message: 'Merge has 1 conflicts', conflicts: ['shared.txt'] })
    const status = await roundTrip({ type: 'mergeStatus', taskId: orch }, 'mergeStatusResponse')
    expect(status).toMatchObject({ inProgress: true, sourceBranch: `makima/sub-${subConflict.slice(0, 8)}`, conflictedFiles: ['shared.txt'] })
    expect(await roundTrip({ type: 'mergeResolve', taskId: orch, file: 'shared.txt', strategy: 'theirs' }, 'mergeResult')).toMatchObject({ success: true })
    const committed = await roundTrip({ type: 'mergeCommit', taskId: orch, message: 'merge subtask' }, 'mergeResult')
    expect(committed).toMatchObject({ success: true, message: 'Merge committed successfully' })
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(committed.commitSha)
    expect(await roundTrip({ type: 'mergeAbort', taskId: orch }, 'mergeResult')).toMatchObject({ success: false, message: 'No merge in progress' })
    const skipped = randomUUID()
    expect(await roundTrip({ type: 'mergeSkip', taskId: orch, subtaskId: skipped, reason: 'not needed' }, 'mergeResult')).toMatchObject({
      success: true, message: `Subtask ${skipped} skipped: not needed`,
    })
    const check = await roundTrip({ type: 'checkMergeComplete', taskId: orch }, 'mergeCompleteCheck')
    expect(check).toMatchObject({ canComplete: true, unmergedBranches: [] })
    expect(check.mergedCount).toBeGreaterThanOrEqual(2)
  })

  it('checkpoints, diffs, creates branches and refuses a dangerous branch name', async () => {
    await writeFile(join(wt, 'new-file.txt'), 'one\ntwo\n')
    const cp = await roundTrip({ type: 'createCheckpoint', taskId: orch, message: 'checkpoint 1' }, 'checkpointCreated')
    expect(cp).toMatchObject({ success: true, message: 'checkpoint 1', linesAdded: 2, filesChanged: [{ action: 'A', path: 'new-file.txt' }] })
    expect(await roundTrip({ type: 'createCheckpoint', taskId: orch, message: 'again' }, 'checkpointCreated')).toMatchObject({ success: false, error: 'No changes to checkpoint' })
    const diff = await roundTrip({ type: 'getTaskDiff', taskId: orch }, 'taskDiff')
    expect(diff.success).toBe(true)
    expect(diff.diff).toContain('new-file.txt')
    expect(await roundTrip({ type: 'createBranch', taskId: orch, branchName: 'feature/x', fromRef: 'main' }, 'branchCreated')).toMatchObject({ success: true, branchName: 'feature/x' })
    expect(git(wt, 'branch', '--show-current')).toBe('feature/x')
    const bad = await roundTrip({ type: 'createBranch', taskId: orch, branchName: '--upload-pack=evil' }, 'branchCreated')
    expect(bad).toMatchObject({ success: false, branchName: '--upload-pack=evil' })
    expect(bad.message).toMatch(/starts with '-'/)
    git(wt, 'checkout', '-q', `makima/orch-${orch.slice(0, 8)}`)
  })

  it('delivers: merge to a target branch, pull request, completion action, clone, target check', async () => {
    git(repo, 'branch', 'release', 'main')
    const merged = await roundTrip({ type: 'mergeTaskToTarget', taskId: orch, targetBranch: 'release', squash: false }, 'mergeToTargetResult')
    expect(merged.success).toBe(true)
    expect(git(repo, 'rev-parse', 'release')).toBe(merged.commitSha)
    const pr = await roundTrip({ type: 'createPR', taskId: orch, title: 'My PR', body: 'body', baseBranch: 'main' }, 'prCreated')
    expect(pr).toMatchObject({ success: true, prUrl: 'https://github.com/acme/repo/pull/17', prNumber: 17 })
    const target = join(root, 'target')
    git(root, 'init', '-q', '-b', 'main', 'target')
    const retry = await roundTrip({ type: 'retryCompletionAction', taskId: orch, taskName: 'Orch', action: 'branch', targetRepoPath: target }, 'completionActionResult')
    expect(retry).toMatchObject({ success: true, message: `Branch pushed to ${target}` })
    expect(git(target, 'branch', '--list', 'makima/*')).toContain(`makima/orch-${orch.slice(0, 8)}`)
    const cloneDir = join(root, 'clone')
    expect(await roundTrip({ type: 'checkTargetExists', taskId: orch, targetDir: cloneDir }, 'checkTargetExistsResult')).toEqual({ type: 'checkTargetExistsResult', taskId: orch, exists: false, targetDir: cloneDir })
    expect(await roundTrip({ type: 'cloneWorktree', taskId: orch, targetDir: cloneDir }, 'cloneWorktreeResult')).toMatchObject({ success: true, targetDir: cloneDir })
    expect(await roundTrip({ type: 'checkTargetExists', taskId: orch, targetDir: cloneDir }, 'checkTargetExistsResult')).toMatchObject({ exists: true })
    expect(await roundTrip({ type: 'cloneWorktree', taskId: orch, targetDir: cloneDir }, 'cloneWorktreeResult')).toMatchObject({ success: false })
  })

  it('reads repo files only inside the repo, inherits git config, and cleans up the worktree', async () => {
    const ok = await roundTrip({ type: 'readRepoFile', requestId: randomUUID(), contractId: 'c1', filePath: 'README.md', repoPath: repo }, 'repoFileContent')
    expect(ok).toMatchObject({ success: true, content: '# repo\n', filePath: 'README.md' })
    const escape = await roundTrip({ type: 'readRepoFile', requestId: randomUUID(), contractId: 'c1', filePath: '../origin.git/config', repoPath: repo }, 'repoFileContent')
    expect(escape).toMatchObject({ success: false })
    expect(escape.content).toBeUndefined()
    const idFrom = server.messages.length
    server.send({ type: 'inheritGitConfig', sourceDir: repo })
    const cfg = await server.waitFor({ type: 'gitConfigInherited' }, 10_000, idFrom)
    expect(cfg.message).toMatchObject({ success: true, userEmail: 'dev@example.com', userName: 'Dev Person' })
    const cleaned = await roundTrip({ type: 'cleanupWorktree', taskId: orch, deleteBranch: false }, 'cleanupWorktreeResult')
    expect(cleaned).toMatchObject({ success: true })
    expect(git(repo, 'worktree', 'list')).not.toContain(wt)
    // The task is forgotten: a second cleanup is an unknown task.
    expect(await roundTrip({ type: 'cleanupWorktree', taskId: orch, deleteBranch: false }, 'cleanupWorktreeResult')).toMatchObject({ success: false, message: `Task ${orch} not found` })
  })

  it('answers git commands for unknown tasks with success:false', async () => {
    const unknown = randomUUID()
    expect(await roundTrip({ type: 'mergeStart', taskId: unknown, sourceBranch: 'x' }, 'mergeResult')).toMatchObject({ success: false, message: `Task ${unknown} not found` })
    expect(await roundTrip({ type: 'listBranches', taskId: unknown }, 'mergeResult')).toMatchObject({ success: false })
    expect(await roundTrip({ type: 'checkMergeComplete', taskId: unknown }, 'mergeCompleteCheck')).toMatchObject({ canComplete: false, unmergedBranches: [`Task ${unknown} not found`] })
    expect(await roundTrip({ type: 'createPR', taskId: unknown, title: 't', baseBranch: 'main' }, 'prCreated')).toMatchObject({ success: false })
    expect(server.invalid()).toEqual([])
  })
})
