// recover() ends an agent a killed core left running — only when the recorded identity (boot id +
// /proc start time) still matches, so a recycled pid is never hit. Real processes, a real SQLite file.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { processIdentity } from '../../../../src-main/core/agents/process-tree'
import { procPoller } from '../../../../src-main/core/agents/proc-poller'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { TaskRepository, type TaskRecord } from '../../../../src-main/core/store/task-repository'
import type { WorkspacePort } from '../../../../src-main/core/tasks/ports'
import { recoverOrphans } from '../../../../src-main/core/tasks/recovery'
import { waitFor } from './harness'

const id = (n: number) => `77777777-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`
const alive = (p: ChildProcess) => p.exitCode === null && p.signalCode === null

let store: Store | undefined
let dir = ''
const procs: ChildProcess[] = []
afterEach(async () => {
  for (const p of procs.splice(0)) if (alive(p)) p.kill('SIGKILL')
  store?.close()
  store = undefined
  await rm(dir, { recursive: true, force: true })
})

function row(n: number, over: Partial<TaskRecord>): TaskRecord {
  const now = new Date().toISOString()
  return {
    id: id(n), name: `t${n}`, state: 'running', plan: 'p', repoUrl: null, baseBranch: null, targetBranch: null, targetRepoPath: null,
    completionAction: null, parentTaskId: null, depth: 0, contractId: null, continueFromTaskId: null, copyFiles: null,
    isOrchestrator: false, isSupervisor: false, autonomousLoop: false, worktreePath: dir, agentSessionId: null, patchBaseSha: null,
    spawnJson: null, errorMessage: null, exitCode: null, createdAt: now, startedAt: now, completedAt: null, updatedAt: now, ...over,
  }
}

const workspace = { isIntact: async () => true, findWorktree: async () => null } as unknown as WorkspacePort

describe('recover() and agents left running by a killed core', () => {
  it('ends a matching agent and its child, leaves a recycled or unverifiable pid alone, and clears the records', async () => {
    dir = await mkdtemp(join(tmpdir(), 'makima-stale-'))
    store = await openStore({ path: join(dir, 'db.sqlite') })
    const tasks = new TaskRepository(store.db)
    // A stand-in "agent" with a child in a session of its own (as Claude Code's Bash tool).
    const agent = spawn('sh', ['-c', 'setsid sleep 31.25 & wait'], { stdio: 'ignore', detached: true })
    const other = spawn('sleep', ['31.5'], { stdio: 'ignore' })
    const unverified = spawn('sleep', ['31.75'], { stdio: 'ignore' })
    procs.push(agent, other, unverified)
    const tool = await waitFor(async () => {
      for (const n of await readdir('/proc')) {
        if (!/^\d+$/.test(n)) continue
        const cmd = await readFile(`/proc/${n}/cmdline`, 'utf8').catch(() => '')
        if (cmd.replace(/\0/g, ' ').startsWith('sleep 31.25')) return Number(n)
      }
      return undefined
    }, { what: 'the tool child' })
    const agentIdentity = (await processIdentity(agent.pid!))!
    const otherIdentity = (await processIdentity(other.pid!))!
    tasks.save(row(1, { agentPid: agent.pid!, agentIdentity }))
    // The pid is alive but the recorded start time is another process's: a recycled pid.
    tasks.save(row(2, { agentPid: other.pid!, agentIdentity: `${otherIdentity.slice(0, otherIdentity.lastIndexOf(':'))}:1` }))
    tasks.save(row(3, { agentPid: unverified.pid! }))
    tasks.save(row(4, { state: 'completed', agentPid: 999_999_999, agentIdentity: 'x:1' }))

    const notices: [string, string][] = []
    const report = await recoverOrphans({
      tasks, workspace, emit: () => undefined, log: silentLogger(), isLive: () => false,
      notice: (taskId, text) => notices.push([taskId, text]), staleAgentGraceMs: 1000,
    })
    expect(report.staleAgents).toEqual([
      { taskId: id(1), pid: agent.pid, outcome: 'terminated' },
      { taskId: id(2), pid: other.pid, outcome: 'pid-reused' },
      { taskId: id(3), pid: unverified.pid, outcome: 'unverifiable' },
      { taskId: id(4), pid: 999_999_999, outcome: 'not-running' },
    ])
    await waitFor(() => !alive(agent), { what: 'the agent to be reaped' })
    expect(await processIdentity(tool)).toBeNull() // its setsid child went too
    expect(alive(other)).toBe(true)
    expect(alive(unverified)).toBe(true)
    expect(notices).toEqual([[id(1), `The agent of this task (pid ${agent.pid}) was still running from before the restart; it and its processes were stopped.`]])
    expect(tasks.withAgentPid()).toEqual([])
    // Then the usual recovery: the (running) tasks are offered for resume.
    expect(report.recoverable.map((r) => r.taskId).sort()).toEqual([id(1), id(2), id(3)])
  })

  it('many orphans are ended side by side, sharing one /proc scan per poll', async () => {
    dir = await mkdtemp(join(tmpdir(), 'makima-stale-'))
    store = await openStore({ path: join(dir, 'db.sqlite') })
    const tasks = new TaskRepository(store.db)
    const N = 20
    // Agents (and their children) that ignore SIGTERM: each needs the whole grace, then SIGKILL.
    const agents = Array.from({ length: N }, () => spawn('sh', ['-c', 'trap "" TERM; sleep 37.5 & wait'], { stdio: 'ignore', detached: true }))
    procs.push(...agents)
    for (const [i, a] of agents.entries()) {
      const identity = await waitFor(() => processIdentity(a.pid!), { what: `agent ${i} in /proc` })
      tasks.save(row(10 + i, { agentPid: a.pid!, agentIdentity: identity }))
    }
    const before = procPoller.scans
    const report = await recoverOrphans({
      tasks, workspace, emit: () => undefined, log: silentLogger(), isLive: () => false, notice: () => undefined, staleAgentGraceMs: 400,
    })
    expect(report.staleAgents.map((a) => a.outcome)).toEqual(Array.from({ length: N }, () => 'terminated'))
    for (const [i, a] of agents.entries()) await waitFor(() => !alive(a), { what: `agent ${i} reaped` })
    // One agent alone takes ~12 polls (400 ms grace at 40 ms, then the kill); one after another,
    // twenty took twenty times that. Side by side they share them.
    expect(procPoller.scans - before).toBeLessThan(30)
  })
})
