// kill -9 of the core during a run, then a restart over the same data: the agent the old core left
// running (with its tool, in a session of its own) is ended, and the task is detected, offered for
// resume, and resumed with its Claude Code session id (--resume). Also: a task whose
// worktree vanished is failed at start, and the periodic health check interrupts a running task
// whose worktree was deleted.
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CLAUDE_BIN, claudeAvailable, claudeEnv } from '../../../fixtures/claude-env'
import { TempDirs, makeRepo } from '../../../fixtures/git/repos'
import { startModelServer, text, toolUse } from '../../../fixtures/model-server'
import { completeOf, makeHarness, procsStartingWith, statusChanges, waitFor, type Harness, noticesOf } from './harness'

/** Running, not a zombie. */
function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))
  } catch {
    return false
  }
}

const id = (n: number) => `66666666-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`
const REPO_ROOT = resolve(__dirname, '../../../..')

describe.skipIf(!claudeAvailable())('crash recovery (real Claude Code CLI)', () => {
  let h: Harness | undefined
  const dirs = new TempDirs()
  const roots: string[] = []
  const killers: (() => void)[] = []
  afterEach(async () => {
    for (const k of killers.splice(0)) k()
    await h?.close()
    h = undefined
    dirs.cleanup()
    for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true })
  })

  it('kill -9 of the core mid-run → restart detects the task and resumes its session', async () => {
    const root = await mkdtemp(join(tmpdir(), 'makima-crash-'))
    roots.push(root)
    const home = join(root, 'home')
    const repo = makeRepo(dirs)
    const model1 = await startModelServer({ turns: [toolUse('Bash', { command: 'echo begin; sleep 41.5; echo end' })], fallback: text('late') })
    const env = await claudeEnv({ baseUrl: model1.url, apiKey: 'sk-test', home })
    const spawnReq = { taskId: id(1), taskName: 'crashy', plan: 'Remember the word PELICAN', repoUrl: repo }
    // node itself (not the tsx wrapper, which would leave its node child alive after SIGKILL).
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'core-process.ts'), JSON.stringify({ root, claudeBin: CLAUDE_BIN, env: env.env, spawn: spawnReq })], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    let agentPid = 0
    let session = ''
    // Only if the test fails before recover() has done it: the orphaned agent and its tool.
    killers.push(() => {
      for (const pid of [agentPid, ...procsStartingWith('sleep 41.5')]) {
        try {
          if (pid && pidAlive(pid)) process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    })
    try {
      const m = await waitFor(() => /RUNNING (\d+) ([0-9a-f-]{36})/.exec(out), { timeoutMs: 60_000, what: 'the agent to run in the core process' })
      agentPid = Number(m[1])
      session = m[2]!
      // The tool runs: the agent's tool call is in the stored session.
      await waitFor(() => procsStartingWith('sleep 41.5').length > 0, { timeoutMs: 30_000, what: 'the tool to run' })
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      await model1.close()
    }
    // The agent outlived the core (a detached process group), and so did its tool.
    const tools = procsStartingWith('sleep 41.5')
    expect(tools.length).toBeGreaterThan(0)
    expect(pidAlive(agentPid)).toBe(true)

    // Restart over the same data dir and HOME (where Claude Code keeps its sessions).
    h = await makeHarness({ root, home, scenario: { fallback: text('Resumed: the word was PELICAN') } })
    expect(h.tasks.get(id(1))).toMatchObject({ state: 'running', agentPid, agentIdentity: expect.stringMatching(/:\d+$/) })
    const report = await h.manager.recover()
    // recover() ended the old agent and its whole tree before offering the task.
    expect(report.staleAgents).toEqual([{ taskId: id(1), pid: agentPid, outcome: 'terminated' }])
    expect(pidAlive(agentPid)).toBe(false)
    for (const pid of tools) expect(pidAlive(pid)).toBe(false)
    expect(procsStartingWith('sleep 41.5')).toEqual([])
    expect(h.tasks.get(id(1))!.agentPid).toBeUndefined()
    await h.log.flush()
    expect(h.lines(id(1)).map((l) => l.data)).toContain(
      `The agent of this task (pid ${agentPid}) was still running from before the restart; it and its processes were stopped.`,
    )
    expect(report.lost).toEqual([])
    expect(report.recoverable).toEqual([{ taskId: id(1), previousState: 'running', worktreePath: expect.stringContaining(join(root, 'worktrees')), sessionId: session }])
    expect(h.events.find((e) => e.type === 'taskRecoveryDetected')).toEqual({
      type: 'taskRecoveryDetected', taskId: id(1), previousState: 'running', worktreeIntact: true, worktreePath: report.recoverable[0]!.worktreePath, needsPatch: false,
    })
    expect(h.manager.activeTaskIds()).toEqual([])

    expect(await h.manager.resumeRecovered(id(1))).toEqual({ ok: true, value: { taskId: id(1) } })
    const c = await waitFor(() => completeOf(h!.events, id(1)), { timeoutMs: 60_000 })
    expect(c.success).toBe(true)
    const rec = h.tasks.get(id(1))!
    expect(rec.agentSessionId).toBe(session)
    expect(rec.worktreePath).toBe(report.recoverable[0]!.worktreePath)
    const notices = noticesOf(h, id(1))
    expect(notices).toContain(`Resuming session in existing worktree: ${rec.worktreePath}`)
    // --resume loaded the first run's conversation into the new request.
    const req = JSON.stringify((h.model.conversationRequests()[0]!.json as { messages: unknown[] }).messages)
    expect(req).toContain('PELICAN')
    expect(req).toContain('sleep 41.5')
    expect(req).toContain('You are resuming an earlier session of this task')
  }, 120_000)

  it('an active task whose worktree is gone is failed at start', async () => {
    const root = await mkdtemp(join(tmpdir(), 'makima-lost-'))
    roots.push(root)
    h = await makeHarness({ root })
    const now = new Date().toISOString()
    h.tasks.save({
      id: id(2), name: 'lost', state: 'running', plan: 'p', repoUrl: '/nowhere', baseBranch: null, targetBranch: null, targetRepoPath: null,
      completionAction: null, parentTaskId: null, depth: 0, contractId: null, continueFromTaskId: null, copyFiles: null, isOrchestrator: false,
      isSupervisor: false, autonomousLoop: false, worktreePath: join(root, 'worktrees', '66666666-lost'), agentSessionId: null, patchBaseSha: null,
      spawnJson: null, errorMessage: null, exitCode: null, createdAt: now, startedAt: now, completedAt: null, updatedAt: now,
    })
    const report = await h.manager.recover()
    expect(report).toEqual({ recoverable: [], lost: [{ taskId: id(2), previousState: 'running' }], staleAgents: [] })
    expect(h.tasks.get(id(2))!.state).toBe('failed')
    expect(completeOf(h.events, id(2))).toMatchObject({ success: false })
  })

  it('the health check interrupts a running task whose worktree was deleted', async () => {
    h = await makeHarness({ healthCheckIntervalMs: 200, scenario: { turns: [toolUse('Bash', { command: 'echo begin; sleep 43.5; echo end' })] } })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: id(3), taskName: 'doomed', plan: 'p', repoUrl: repo })
    await waitFor(() => procsStartingWith('sleep 43.5').length > 0, { timeoutMs: 60_000, what: 'the tool to run' })
    rmSync(h.tasks.get(id(3))!.worktreePath!, { recursive: true, force: true })
    const c = await waitFor(() => completeOf(h!.events, id(3)), { timeoutMs: 20_000 })
    expect(c).toEqual({ type: 'taskComplete', taskId: id(3), success: false, error: 'Worktree deleted - task interrupted for recovery' })
    await waitFor(() => h!.manager.get(id(3))?.state === 'interrupted' && h!.manager.runningCount() === 0)
    expect(statusChanges(h.events, id(3)).at(-1)).toBe('running->interrupted')
    expect(h.tasks.get(id(3))!.errorMessage).toBe('Worktree directory was deleted')
  })
})
