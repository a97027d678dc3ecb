// The one validated Config, in the shape the rest of the core uses.
import type { CustomAgent } from './custom-agents'
import type { LogLevel } from '../log/logger'

export interface Config {
  dataDir: string
  /** Set by --daemon: run headless, no window and no tray. */
  daemon: boolean
  server: {
    url: string | undefined
    apiKey: string | undefined
    heartbeatIntervalSecs: number
    reconnectIntervalSecs: number
  }
  process: {
    maxConcurrentTasks: number
    maxTasksPerContract: number
    claudeCommand: string
    claudeArgs: string[]
    claudePreArgs: string[]
    enablePermissions: boolean
    disableVerbose: boolean
    systemPromptMode: 'append' | 'replace'
    /** Run every agent under bubblewrap (worktree writable, the rest read-only). */
    bubblewrap: boolean
    heartbeatCommitIntervalSecs: number
    apiUrl: string
  }
  /** Which agent CLI a task runs when it names none; Codex and Gemini commands (Claude's are in process). */
  agents: {
    /** A built-in agent or a custom one (checked against `custom` at load). */
    default: string
    /** Custom agents by name: a command speaking one of the built-in dialects. */
    custom: Record<string, CustomAgent>
    /** The model Claude Code runs (--model); undefined: the CLI's own default. */
    model?: string
    codex: { command: string; args: string[] }
    gemini: { command: string; args: string[] }
    opencode: { command: string; args: string[] }
  }
  checkpointPatches: { enabled: boolean; maxSizeBytes: number }
  /** A task's stored output past this loses its oldest middle (never its start or newest lines). */
  output: { maxBytesPerTask: number }
  /** allowedRoots: when not empty, a task's local repository must lie inside one of these. */
  worktree: { baseDir: string; reposDir: string; allowedRoots?: string[] }
  localDb: { path: string }
  log: { level: LogLevel; file: string }
  /** The headless web UI on loopback (daemon mode); port 0 picks a free port. */
  web: {
    enabled: boolean
    port: number
    /** The address to listen on; loopback unless the user chose otherwise (the token is always needed). */
    host: string
    /** A fixed access token from a file, instead of the generated <data>/web-token. */
    tokenFile?: string
  }
  /** The look of the UI. */
  ui?: { theme: 'dark' | 'light' | 'system' }
  /** The TOML files that were read, lowest precedence first. */
  configFiles: string[]
  /** Where the app's Settings dialog keeps what the user changed (above the TOML files, below env and flags). */
  userSettingsFile?: string
  /** Where each setting's value came from, by dotted key (absent: the default). */
  sources?: Record<string, Source>
  /** Said once the log is open (e.g. a key given on the command line, visible to every user). */
  warnings?: string[]
}

/** Where a value came from; named in every error so the user knows what to fix. */
export type Source =
  | { kind: 'default' }
  | { kind: 'file'; path: string }
  | { kind: 'app'; path: string }
  | { kind: 'env'; name: string }
  | { kind: 'flag'; name: string }
  | { kind: 'argv' }

export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'default':
      return 'the default'
    case 'file':
      return `config file ${source.path}`
    case 'app':
      return `the app's settings (${source.path})`
    case 'env':
      return `environment variable ${source.name}`
    case 'flag':
      return `flag --${source.name}`
    case 'argv':
      return 'the command line'
  }
}

/** A bad configuration: one clear line naming the key, where it came from and what is allowed. */
export class ConfigError extends Error {
  readonly exitCode = 2
  constructor(
    readonly key: string,
    readonly source: Source,
    readonly problem: string,
  ) {
    super(`config error: ${key} (from ${describeSource(source)}): ${problem}`)
    this.name = 'ConfigError'
  }
}
