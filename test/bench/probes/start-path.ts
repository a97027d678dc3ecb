// Probe (not part of `npm run bench`): the pieces of a task start this branch changed, measured
// alone. Prints one JSON line. `npx tsx test/bench/probes/start-path.ts`
// - worktrees: 40 task worktrees created at once on a 2,000-file repository: git processes
//   spawned (a PATH shim counts them), wall time, event-loop delay p99 meanwhile.
// - version: 20 agent starts' version checks against the real Claude Code CLI: wall time.
// - recovery: 100 orphaned agents (each `sh` with a child) ended by recoverOrphans: wall time.
import { spawn } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { processIdentity } from '../../../src-main/core/agents/process-tree'
import { claudeAdapter } from '../../../src-main/core/agents/adapters/claude'
import { createWorktree } from '../../../src-main/core/git'
import { silentLogger } from '../../../src-main/core/log/logger'
import { openStore } from '../../../src-main/core/store/db'
import { TaskRepository, type TaskRecord } from '../../../src-main/core/store/task-repository'
import { CliAgentPort } from '../../../src-main/core/tasks/agent-port'
import type { OutputLog } from '../../../src-main/core/tasks/output-log'
import type { WorkspacePort } from '../../../src-main/core/tasks/ports'
import { recoverOrphans } from '../../../src-main/core/tasks/recovery'
import { CLAUDE_BIN } from '../../fixtures/claude-env'
import { makeBigRepo, TempDirs } from '../../fixtures/git/repos'

const dirs = new TempDirs()
const uuid = (n: number) => `${String(n).padStart(8, '0')}-aaaa-4bbb-8ccc-000000000000`
const ms = (t0: bigint) => Math.round(Number(process.hrtime.bigint() - t0) / 1e6)

async function worktrees(): Promise<object> {
  const repo = makeBigRepo(dirs, 2000)
  const bin = dirs.make('probe-git-')
  const log = join(bin, 'calls')
  writeFileSync(log, '')
  writeFileSync(join(bin, 'git'), `#!/bin/sh\necho x >> '${log}'\nexec /usr/bin/git "$@"\n`)
  chmodSync(join(bin, 'git'), 0o755)
  const path = process.env.PATH
  process.env.PATH = `${bin}:${path}`
  const wtDir = dirs.make()
  const h = monitorEventLoopDelay({ resolution: 5 })
  h.enable()
  const t0 = process.hrtime.bigint()
  await Promise.all(Array.from({ length: 40 }, (_, i) => createWorktree({ repoPath: repo, worktreesDir: wtDir, taskId: uuid(i), name: `t${i}` })))
  const wall = ms(t0)
  h.disable()
  process.env.PATH = path
  return { tasks: 40, files: 2000, gitProcesses: readFileSync(log, 'utf8').split('\n').filter(Boolean).length, wallMs: wall, loopDelayP99Ms: +(h.percentile(99) / 1e6).toFixed(1) }
}

async function versions(): Promise<object> {
  const port = new CliAgentPort(claudeAdapter, { command: CLAUDE_BIN, output: {} as OutputLog })
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < 20; i++) {
    const r = await port.checkVersion()
    if (!r.ok) throw new Error(r.reason)
  }
  return { starts: 20, wallMs: ms(t0) }
}

async function recovery(): Promise<object> {
  const dir = dirs.make()
  const store = await openStore({ path: join(dir, 'db.sqlite') })
  const tasks = new TaskRepository(store.db)
  const now = new Date().toISOString()
  const procs = Array.from({ length: 100 }, () => spawn('sh', ['-c', 'sleep 60 & wait'], { stdio: 'ignore', detached: true }))
  for (const [i, p] of procs.entries()) {
    let identity: string | null = null
    while (!(identity = await processIdentity(p.pid!))) await new Promise((r) => setImmediate(r))
    const row: TaskRecord = {
      id: uuid(i), name: `t${i}`, state: 'running', plan: 'p', repoUrl: null, baseBranch: null, targetBranch: null, targetRepoPath: null,
      completionAction: null, parentTaskId: null, depth: 0, contractId: null, continueFromTaskId: null, copyFiles: null,
      isOrchestrator: false, isSupervisor: false, autonomousLoop: false, worktreePath: dir, agentSessionId: null, patchBaseSha: null,
      spawnJson: null, errorMessage: null, exitCode: null, createdAt: now, startedAt: now, completedAt: null, updatedAt: now,
      agentPid: p.pid!, agentIdentity: identity,
    }
    tasks.save(row)
  }
  const workspace = { isIntact: async () => true, findWorktree: async () => null } as unknown as WorkspacePort
  const t0 = process.hrtime.bigint()
  const report = await recoverOrphans({ tasks, workspace, emit: () => undefined, log: silentLogger(), isLive: () => false, notice: () => undefined, staleAgentGraceMs: 5000 })
  const wall = ms(t0)
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL')
  store.close()
  return { agents: 100, terminated: report.staleAgents.filter((a) => a.outcome === 'terminated').length, wallMs: wall }
}

async function main(): Promise<void> {
  try {
    const out = { probe: 'start-path', worktrees: await worktrees(), version: await versions(), recovery: await recovery() }
    console.log(JSON.stringify(out))
  } finally {
    dirs.cleanup()
  }
}
void main()
