// The real AgentPort: an agent CLI through its adapter and the agent layer (argv, input, process
// group), every printed line persisted through the output log before the manager sees it.
// ClaudeAgentPort is the Claude adapter's port; AgentPorts routes each launch by the task's agent.
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { claudeAdapter } from '../agents/adapters/claude'
import type { AgentAdapter } from '../agents/adapters/types'
import { checkAgentVersion } from '../agents/adapters/version'
import { VersionCache } from '../agents/adapters/version-cache'
import { AgentProcess } from '../agents/agent-process'
import { prepareSandbox, wrapWithBwrap, type SandboxPaths } from '../agents/sandbox'
import type { AgentLaunch, AgentPort, AgentRunHandle, LineListener, VersionCheckResult } from './ports'
import type { OutputLog } from './output-log'

export interface CliAgentPortOptions {
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
  /** Run every agent under bubblewrap (check the binary at start-up with findBwrap). */
  sandbox?: {
    bwrapPath: string
    /** Each task gets `<tmpRoot>/<taskId>` as its writable TMPDIR. */
    tmpRoot: string
    /** Hidden from the agent (SandboxPaths.hidden), and what is shown again read-only. */
    hidden?: string[]
    readonly?: string[]
  }
}

export type ClaudeAgentPortOptions = CliAgentPortOptions

export class CliAgentPort implements AgentPort {
  private readonly versions: VersionCache

  constructor(
    private readonly adapter: AgentAdapter,
    private readonly opts: CliAgentPortOptions,
  ) {
    this.versions = new VersionCache({ command: opts.command, preArgs: opts.preArgs })
  }

  adapterOf(): AgentAdapter {
    return this.adapter
  }

  /** Probed once per binary (see version-cache.ts), not once per start. */
  async checkVersion(): Promise<VersionCheckResult> {
    const r = await this.versions.check(() =>
      checkAgentVersion(this.adapter, { command: this.opts.command, preArgs: this.opts.preArgs, env: this.opts.versionEnv }),
    )
    return r.ok ? { ok: true, version: r.version } : { ok: false, reason: r.reason }
  }

  async launch(spec: AgentLaunch, onLine: LineListener): Promise<AgentRunHandle> {
    const plan = this.adapter.plan({
      prompt: spec.firstMessage,
      command: this.opts.command,
      preArgs: this.opts.preArgs,
      extraArgs: this.opts.extraArgs,
      enablePermissions: this.opts.enablePermissions,
      disableVerbose: this.opts.disableVerbose,
      systemPrompt: spec.systemPrompt,
      systemPromptMode: this.opts.systemPromptMode,
      resumeSessionId: spec.resumeSessionId,
    })
    let argv = { command: plan.command, args: plan.args }
    if (this.opts.sandbox) {
      const paths: SandboxPaths = {
        worktree: spec.cwd,
        tmpDir: join(this.opts.sandbox.tmpRoot, spec.taskId),
        writable: [...this.adapter.configPaths(spec.env), ...(await gitAdminDir(spec.cwd))],
        hidden: this.opts.sandbox.hidden,
        readonly: this.opts.sandbox.readonly,
      }
      await prepareSandbox(paths)
      argv = wrapWithBwrap(argv, paths, this.opts.sandbox.bwrapPath)
    }
    const proc = new AgentProcess({
      command: argv.command,
      args: argv.args,
      cwd: spec.cwd,
      env: spec.env,
      input: plan.input,
      parse: this.adapter.parser(),
      displayName: this.adapter.displayName,
      // Only what is set: an explicit undefined would replace the agent layer's defaults.
      ...(this.opts.killGraceMs !== undefined ? { killGraceMs: this.opts.killGraceMs } : {}),
      ...(this.opts.exitAfterResultMs !== undefined ? { exitAfterResultMs: this.opts.exitAfterResultMs } : {}),
      ...(this.opts.startupWarningMs !== undefined ? { startupWarningMs: this.opts.startupWarningMs } : {}),
    })
    // Persisted (and batched out) by the pipeline; the manager reads the same lines in order.
    const detach = this.opts.output.attach(spec.taskId, proc)
    proc.on('line', onLine)
    void proc.exited.then(() => detach())
    if (plan.input.kind === 'stream') proc.send(spec.firstMessage)
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

/** Claude Code's port (the original single-agent port). */
export class ClaudeAgentPort extends CliAgentPort {
  constructor(opts: CliAgentPortOptions) {
    super(claudeAdapter, opts)
  }
}

/** One port per agent; a launch goes to the task's agent (claude when none is named). */
export class AgentPorts implements AgentPort {
  /** Built-in agents by name, and custom agents by theirs. */
  constructor(private readonly ports: Partial<Record<string, AgentPort>> & { claude: AgentPort }) {}

  adapterOf(agent: string | undefined): AgentAdapter | undefined {
    return this.ports[agent ?? 'claude']?.adapterOf?.(agent)
  }

  private pick(agent: string | undefined): AgentPort {
    const port = this.ports[agent ?? 'claude']
    if (!port) throw new Error(`agent '${agent}' is not configured`)
    return port
  }

  /** Asks every agent for its version in the background, so the first start finds it known. */
  warmVersions(): void {
    for (const [agent, port] of Object.entries(this.ports)) void port?.checkVersion(agent).catch(() => undefined)
  }

  checkVersion(agent?: string): Promise<VersionCheckResult> {
    const port = this.ports[agent ?? 'claude']
    return port ? port.checkVersion(agent) : Promise.resolve({ ok: false, reason: `agent '${agent}' is not configured` })
  }

  launch(spec: AgentLaunch, onLine: LineListener): Promise<AgentRunHandle> {
    return this.pick(spec.agent).launch(spec, onLine)
  }
}

/** A linked worktree keeps its git data in the main repository's .git: the agent must be able to
 * commit, so that directory is writable inside the sandbox too. */
async function gitAdminDir(worktree: string): Promise<string[]> {
  const text = await readFile(join(worktree, '.git'), 'utf8').catch(() => null)
  const m = text ? /^gitdir:\s*(.+)$/m.exec(text) : null
  if (!m) return []
  // <repo>/.git/worktrees/<name> → <repo>/.git
  return [resolve(worktree, m[1]!.trim(), '..', '..')]
}
