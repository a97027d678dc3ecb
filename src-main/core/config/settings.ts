// The table of every setting: where it lives in TOML, its environment names, its flag, and what is
// allowed. One table keeps the four sources (defaults < TOML < env < flags) consistent.
import { homedir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'

const MiB = 1024 * 1024

const int = (min: number, max: number) =>
  z.number().int().min(min).max(max).describe(`an integer from ${min} to ${max}`)
const bool = () => z.boolean().describe('true or false')
const path = () => z.string().min(1).describe('a non-empty path')
const wsUrl = () =>
  z
    .string()
    .regex(/^wss?:\/\/[^\s/]+(\/\S*)?$/)
    .describe('a ws:// or wss:// URL, e.g. wss://api.makima.jp')
const httpUrl = () =>
  z
    .string()
    .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/)
    .describe('an http:// or https:// URL')
/** An address to bind: an IPv4 or IPv6 literal, or localhost. Names would resolve unpredictably. */
const webHost = () =>
  z
    .string()
    .regex(/^(localhost|\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/)
    .describe('an IP address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::1')
/** Optional keeps the inner description, so errors can say what is allowed. */
const opt = (s: z.ZodType) => s.optional().describe(s.description ?? 'a valid value')
const argList = () => z.array(z.string()).describe('a list of strings')
const level = () => z.enum(['trace', 'debug', 'info', 'warn', 'error']).describe('one of trace, debug, info, warn, error')

/** How a raw string from the environment or a flag becomes a value. */
export type Kind = 'int' | 'bool' | 'string' | 'list'

export interface Setting {
  /** Dotted key in the TOML file, which is also the key named in errors. */
  key: string
  kind: Kind
  schema: z.ZodType
  env?: string[]
  flag?: string
  default: (dataDir: string) => unknown
}

export const DEFAULT_DATA_DIR = join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'makima-daemon')

export const SETTINGS: Setting[] = [
  { key: 'data_dir', kind: 'string', schema: path(), env: ['MAKIMA_DAEMON_DATADIR'], flag: 'data-dir', default: (d) => d },
  { key: 'server.url', kind: 'string', schema: opt(wsUrl()), env: ['MAKIMA_DAEMON_SERVER_URL'], flag: 'server-url', default: () => undefined },
  { key: 'server.api_key', kind: 'string', schema: opt(z.string().min(1).describe('a non-empty API key')), env: ['MAKIMA_API_KEY', 'MAKIMA_DAEMON_SERVER_APIKEY'], flag: 'api-key', default: () => undefined },
  { key: 'server.api_key_file', kind: 'string', schema: opt(path()), env: ['MAKIMA_API_KEY_FILE', 'MAKIMA_DAEMON_SERVER_APIKEYFILE'], flag: 'api-key-file', default: () => undefined },
  { key: 'server.heartbeat_interval_secs', kind: 'int', schema: int(1, 3600), env: ['MAKIMA_DAEMON_SERVER_HEARTBEATINTERVALSECS'], default: () => 30 },
  { key: 'server.reconnect_interval_secs', kind: 'int', schema: int(1, 3600), env: ['MAKIMA_DAEMON_SERVER_RECONNECTINTERVALSECS'], default: () => 5 },
  { key: 'process.max_concurrent_tasks', kind: 'int', schema: int(1, 1000), env: ['MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS'], flag: 'max-tasks', default: () => 10 },
  { key: 'process.max_tasks_per_contract', kind: 'int', schema: int(1, 1000), env: ['MAKIMA_DAEMON_PROCESS_MAXTASKSPERCONTRACT'], default: () => 10 },
  { key: 'process.claude_command', kind: 'string', schema: z.string().min(1).describe('a command name or path'), env: ['MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND'], default: () => 'claude' },
  { key: 'process.claude_args', kind: 'list', schema: argList(), env: ['MAKIMA_DAEMON_PROCESS_CLAUDEARGS'], default: () => [] },
  { key: 'process.claude_pre_args', kind: 'list', schema: argList(), env: ['MAKIMA_DAEMON_PROCESS_CLAUDEPREARGS'], default: () => [] },
  { key: 'process.enable_permissions', kind: 'bool', schema: bool(), env: ['MAKIMA_DAEMON_PROCESS_ENABLEPERMISSIONS'], default: () => false },
  { key: 'process.disable_verbose', kind: 'bool', schema: bool(), env: ['MAKIMA_DAEMON_PROCESS_DISABLEVERBOSE'], default: () => false },
  { key: 'process.system_prompt_mode', kind: 'string', schema: z.enum(['append', 'replace']).describe('append or replace'), env: ['MAKIMA_DAEMON_PROCESS_SYSTEMPROMPTMODE'], default: () => 'append' },
  { key: 'process.bubblewrap', kind: 'bool', schema: bool(), env: ['MAKIMA_DAEMON_BUBBLEWRAP'], flag: 'bubblewrap', default: () => false },
  { key: 'process.heartbeat_commit_interval_secs', kind: 'int', schema: int(0, 86_400), env: ['MAKIMA_DAEMON_PROCESS_HEARTBEATCOMMITINTERVALSECS'], default: () => 300 },
  { key: 'process.api_url', kind: 'string', schema: httpUrl(), env: ['MAKIMA_DAEMON_PROCESS_APIURL'], default: () => 'https://api.makima.jp' },
  { key: 'agent.default', kind: 'string', schema: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/).describe('claude, codex, gemini or a custom agent name'), env: ['MAKIMA_DAEMON_AGENT_DEFAULT'], flag: 'agent', default: () => 'claude' },
  { key: 'agent.model', kind: 'string', schema: opt(z.string().regex(/^[A-Za-z0-9][\w.:@[\]-]{0,99}$/).describe('a model name such as sonnet, opus or claude-sonnet-4-5')), env: ['MAKIMA_DAEMON_AGENT_MODEL'], flag: 'model', default: () => undefined },
  { key: 'agent.codex.command', kind: 'string', schema: z.string().min(1).describe('a command name or path'), env: ['MAKIMA_DAEMON_AGENT_CODEX_COMMAND'], default: () => 'codex' },
  { key: 'agent.codex.args', kind: 'list', schema: argList(), env: ['MAKIMA_DAEMON_AGENT_CODEX_ARGS'], default: () => [] },
  { key: 'agent.gemini.command', kind: 'string', schema: z.string().min(1).describe('a command name or path'), env: ['MAKIMA_DAEMON_AGENT_GEMINI_COMMAND'], default: () => 'gemini' },
  { key: 'agent.opencode.command', kind: 'string', schema: z.string().min(1).describe('a command name or path'), env: ['MAKIMA_DAEMON_AGENT_OPENCODE_COMMAND'], default: () => 'opencode' },
  { key: 'agent.opencode.args', kind: 'list', schema: argList(), env: ['MAKIMA_DAEMON_AGENT_OPENCODE_ARGS'], default: () => [] },
  { key: 'agent.gemini.args', kind: 'list', schema: argList(), env: ['MAKIMA_DAEMON_AGENT_GEMINI_ARGS'], default: () => [] },
  { key: 'checkpoint_patches.enabled', kind: 'bool', schema: bool(), env: ['MAKIMA_DAEMON_CHECKPOINTPATCHES_ENABLED'], default: () => true },
  { key: 'checkpoint_patches.max_size_bytes', kind: 'int', schema: int(1024, 1024 * MiB), env: ['MAKIMA_DAEMON_CHECKPOINTPATCHES_MAXSIZEBYTES'], default: () => 10 * MiB },
  { key: 'output.max_bytes_per_task', kind: 'int', schema: int(1 * MiB, 1024 * 1024 * MiB), env: ['MAKIMA_DAEMON_OUTPUT_MAXBYTESPERTASK'], default: () => 1024 * MiB },
  { key: 'worktree.base_dir', kind: 'string', schema: path(), env: ['MAKIMA_DAEMON_WORKTREE_BASEDIR'], flag: 'worktrees-dir', default: (d) => join(d, 'worktrees') },
  { key: 'worktree.allowed_roots', kind: 'list', schema: z.array(z.string().min(1)).describe('a list of directories'), env: ['MAKIMA_DAEMON_WORKTREE_ALLOWEDROOTS'], default: () => [] },
  { key: 'worktree.repos_dir', kind: 'string', schema: path(), env: ['MAKIMA_DAEMON_WORKTREE_REPOSDIR', 'MAKIMA_DAEMON_REPOS_HOMEDIR'], flag: 'repos-dir', default: (d) => join(d, 'repos') },
  { key: 'local_db.path', kind: 'string', schema: path(), env: ['MAKIMA_DAEMON_LOCALDB_PATH'], default: (d) => join(d, 'daemon.db') },
  { key: 'web.enabled', kind: 'bool', schema: bool(), env: ['MAKIMA_DAEMON_WEB_ENABLED'], default: () => true },
  { key: 'web.port', kind: 'int', schema: int(0, 65_535), env: ['MAKIMA_DAEMON_WEB_PORT'], flag: 'web-port', default: () => 7421 },
  { key: 'web.host', kind: 'string', schema: webHost(), env: ['MAKIMA_DAEMON_WEB_HOST'], flag: 'web-host', default: () => '127.0.0.1' },
  { key: 'web.token_file', kind: 'string', schema: opt(path()), env: ['MAKIMA_DAEMON_WEB_TOKENFILE'], default: () => undefined },
  { key: 'ui.theme', kind: 'string', schema: z.enum(['dark', 'light', 'system']).describe('dark, light or system'), env: ['MAKIMA_DAEMON_UI_THEME'], default: () => 'dark' },
  { key: 'log.level', kind: 'string', schema: level(), env: ['MAKIMA_DAEMON_LOG_LEVEL'], flag: 'log-level', default: () => 'info' },
  { key: 'log.file', kind: 'string', schema: path(), env: ['MAKIMA_DAEMON_LOG_FILE'], default: (d) => join(d, 'logs', 'daemon.log') },
]

export const SETTING_BY_KEY = new Map(SETTINGS.map((s) => [s.key, s]))
