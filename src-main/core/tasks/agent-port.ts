// The real AgentPort: Claude Code through the agent layer (argv, stdin line, process group),
// every printed line persisted through the output log before the manager sees it.
import { buildClaudeArgv, checkClaudeVersion } from '../agents/adapters/claude'
import { AgentProcess } from '../agents/agent-process'
import type { ClassifiedLine } from '../agents/classify'
import type { AgentLaunch, AgentPort, AgentRunHandle, VersionCheckResult } from './ports'
import type { OutputLog } from './output-log'

export interface ClaudeAgentPortOptions {
  command: string
  preArgs?: readonly string[]
  extraArgs?: readonly string[]
  enablePermissions?: boolean
  disableVerbose?: boolean
  systemPromptMode?: 'append' | 'replace'
  output: OutputLog
  /** Environment for `claude --version` (the agents get theirs from the manager). */
  versionEnv?: Record<string, string>
  killGraceMs?: number
  exitAfterResultMs?: number
  startupWarningMs?: number
}

export class ClaudeAgentPort implements AgentPort {
  constructor(private readonly opts: ClaudeAgentPortOptions) {}

  async checkVersion(): Promise<VersionCheckResult> {
    const r = await checkClaudeVersion({ command: this.opts.command, preArgs: this.opts.preArgs, env: this.opts.versionEnv })
    return r.ok ? { ok: true, version: r.version } : { ok: false, reason: r.reason }
  }

  launch(spec: AgentLaunch, onLine: (line: ClassifiedLine) => void): AgentRunHandle {
    const { command, args } = buildClaudeArgv({
      command: this.opts.command,
      preArgs: this.opts.preArgs,
      extraArgs: this.opts.extraArgs,
      enablePermissions: this.opts.enablePermissions,
      disableVerbose: this.opts.disableVerbose,
      systemPrompt: spec.systemPrompt,
      systemPromptMode: this.opts.systemPromptMode,
      resumeSessionId: spec.resumeSessionId,
    })
    const proc = new AgentProcess({
      command,
      args,
      cwd: spec.cwd,
      env: spec.env,
      // Only what is set: an explicit undefined would replace the agent layer's defaults.
      ...(this.opts.killGraceMs !== undefined ? { killGraceMs: this.opts.killGraceMs } : {}),
      ...(this.opts.exitAfterResultMs !== undefined ? { exitAfterResultMs: this.opts.exitAfterResultMs } : {}),
      ...(this.opts.startupWarningMs !== undefined ? { startupWarningMs: this.opts.startupWarningMs } : {}),
    })
    // Persisted (and batched out) by the pipeline; the manager reads the same lines in order.
    const detach = this.opts.output.attach(spec.taskId, proc)
    proc.on('line', onLine)
    void proc.exited.then(() => detach())
    proc.send(spec.firstMessage)
    return {
      get pid() {
        return proc.pid
      },
      exited: proc.exited,
      send: (text) => proc.send(text),
      pause: () => proc.pause(),
      resume: () => proc.resume(),
      stop: () => proc.stop('interrupt'),
      timings: () => proc.timings(),
    }
  }
}
