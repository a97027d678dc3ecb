// A core process for the crash-recovery test: builds a task manager over the given data dir,
// spawns one task and reports progress on stdout. The test kills it with SIGKILL mid-run.
// Usage: tsx core-process.ts '<json config>'
import { join } from 'node:path'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'
import { openStore } from '../../../../src-main/core/store/db'
import { OutputRepository } from '../../../../src-main/core/store/output-repository'
import { TaskRepository } from '../../../../src-main/core/store/task-repository'
import { ClaudeAgentPort } from '../../../../src-main/core/tasks/agent-port'
import { TaskManager } from '../../../../src-main/core/tasks/manager'
import { OutputLog } from '../../../../src-main/core/tasks/output-log'
import { GitWorkspace } from '../../../../src-main/core/tasks/workspace'

interface Config {
  root: string
  claudeBin: string
  env: Record<string, string>
  spawn: Record<string, unknown>
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]!) as Config
  const store = await openStore({ path: join(cfg.root, 'db.sqlite') })
  const tasks = new TaskRepository(store.db)
  const redactor = new Redactor()
  const output = new OutputLog({ repo: new OutputRepository(store.db), redactor })
  const manager = new TaskManager({
    tasks, output, redactor, log: silentLogger(),
    agents: new ClaudeAgentPort({ command: cfg.claudeBin, output, versionEnv: cfg.env }),
    workspace: new GitWorkspace({
      worktreesDir: join(cfg.root, 'worktrees'), reposDir: join(cfg.root, 'repos'), tempDir: join(cfg.root, 'temp'),
      checkpointPatches: { enabled: false, maxSizeBytes: 0 },
    }),
    limits: { maxConcurrentTasks: 4, maxTasksPerContract: 4 }, apiUrl: 'http://127.0.0.1:1', baseEnv: cfg.env,
    heartbeatCommitIntervalSecs: 0, healthCheckIntervalMs: 0,
  })
  const taskId = String(cfg.spawn.taskId)
  const r = await manager.spawn(cfg.spawn)
  process.stdout.write(`SPAWNED ${JSON.stringify(r)}\n`)
  const timer = setInterval(() => {
    const rec = manager.get(taskId)
    const pid = manager.agentPid(taskId)
    if (rec?.agentSessionId && pid) process.stdout.write(`RUNNING ${pid} ${rec.agentSessionId}\n`)
  }, 100)
  timer.unref()
  // Stay alive until killed.
  setInterval(() => undefined, 1 << 30)
}

void main()
