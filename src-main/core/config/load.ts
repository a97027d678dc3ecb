// Builds the Config: defaults < TOML files (/etc, ~/.config, ./, then -c) < environment < flags.
// The first bad value stops start-up with a ConfigError; nothing is started before this returns.
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { resolveApiKey } from './api-key'
import { ConfigError, type Config, type Source } from './config'
import { parseFlags, USAGE } from './flags'
import { collectCustomAgentField, isCustomAgentKey, validateCustomAgents, type RawCustomAgent } from './custom-agents'
import { DEFAULT_DATA_DIR, SETTING_BY_KEY, SETTINGS, type Setting } from './settings'
import { EDITABLE_SETTINGS } from '../../../src-preload/contract'
import { flattenToml, userSettingsPath } from './user-settings-file'

export interface LoadOptions {
  argv: string[]
  env: Record<string, string | undefined>
  cwd: string
  home?: string
  /** Directory holding the system-wide config; /etc/makima-daemon in production. */
  etcDir?: string
}

export type LoadResult = { kind: 'config'; config: Config } | { kind: 'help'; text: string } | { kind: 'version' }

interface Layered {
  value: unknown
  source: Source
  /** Later layers win: TOML files in order, then the environment, then flags. */
  rank: number
}

/** The app's own settings file: above every TOML file, below the environment. */
const USER_RANK = 900
const ENV_RANK = 1000
const FLAG_RANK = 2000

const SECRET_KEYS = new Set(['server.api_key'])

export async function loadConfig(opts: LoadOptions): Promise<LoadResult> {
  const flags = parseFlags(opts.argv)
  if (flags.help) return { kind: 'help', text: USAGE }
  if (flags.version) return { kind: 'version' }

  const home = opts.home ?? homedir()
  const files = [
    join(opts.etcDir ?? '/etc/makima-daemon', 'config.toml'),
    join(home, '.config', 'makima-daemon', 'config.toml'),
    join(opts.cwd, 'makima-daemon.toml'),
  ]
  const layers = new Map<string, Layered>()
  const custom = new Map<string, RawCustomAgent>()
  const read: string[] = []
  for (const file of files) {
    const table = await readToml(file, false)
    if (table) {
      applyToml(layers, custom, table, file, read.length + 1)
      read.push(file)
    }
  }
  if (flags.configFile) {
    const file = resolve(opts.cwd, flags.configFile)
    const table = await readToml(file, true)
    if (table) {
      applyToml(layers, custom, table, file, read.length + 1)
      read.push(file)
    }
  }
  for (const setting of SETTINGS) {
    // The first name listed wins when several are set (MAKIMA_API_KEY over MAKIMA_DAEMON_SERVER_APIKEY).
    for (const name of [...(setting.env ?? [])].reverse()) {
      const raw = opts.env[name]
      if (raw !== undefined && raw !== '') layers.set(setting.key, { value: fromString(setting, raw), source: { kind: 'env', name }, rank: ENV_RANK })
    }
  }
  for (const setting of SETTINGS) {
    if (setting.flag && flags.values[setting.flag] !== undefined) {
      layers.set(setting.key, { value: fromString(setting, flags.values[setting.flag]!), source: { kind: 'flag', name: setting.flag }, rank: FLAG_RANK })
    }
  }

  const values = new Map<string, unknown>()
  const dataDir = validate(SETTING_BY_KEY.get('data_dir')!, layers, DEFAULT_DATA_DIR) as string
  values.set('data_dir', resolve(opts.cwd, dataDir))
  // What the user changed in the app's Settings: above the TOML files, below the environment and flags.
  const userFile = userSettingsPath(values.get('data_dir') as string)
  const userTable = await readToml(userFile, false)
  if (userTable) applyUserSettings(layers, userTable, userFile)
  for (const setting of SETTINGS) {
    if (setting.key !== 'data_dir') values.set(setting.key, validate(setting, layers, values.get('data_dir') as string))
  }
  const get = <T>(key: string) => values.get(key) as T
  const abs = (key: string) => resolve(opts.cwd, get<string>(key))
  const key = await resolveApiKey(
    { value: get('server.api_key'), layer: layers.get('server.api_key') },
    { value: get('server.api_key_file'), layer: layers.get('server.api_key_file') },
    opts.cwd,
  )
  const customAgents = validateCustomAgents(custom)
  const config: Config = {
    dataDir: get('data_dir'),
    daemon: flags.daemon,
    server: {
      url: get('server.url'),
      apiKey: key.apiKey,
      heartbeatIntervalSecs: get('server.heartbeat_interval_secs'),
      reconnectIntervalSecs: get('server.reconnect_interval_secs'),
    },
    process: {
      maxConcurrentTasks: get('process.max_concurrent_tasks'),
      maxTasksPerContract: get('process.max_tasks_per_contract'),
      claudeCommand: get('process.claude_command'),
      claudeArgs: get('process.claude_args'),
      claudePreArgs: get('process.claude_pre_args'),
      enablePermissions: get('process.enable_permissions'),
      disableVerbose: get('process.disable_verbose'),
      systemPromptMode: get('process.system_prompt_mode'),
      bubblewrap: get('process.bubblewrap'),
      heartbeatCommitIntervalSecs: get('process.heartbeat_commit_interval_secs'),
      apiUrl: get('process.api_url'),
    },
    agents: {
      default: defaultAgent(get('agent.default'), customAgents, layers.get('agent.default')?.source),
      custom: customAgents,
      model: get('agent.model'),
      codex: { command: get('agent.codex.command'), args: get('agent.codex.args') },
      gemini: { command: get('agent.gemini.command'), args: get('agent.gemini.args') },
      opencode: { command: get('agent.opencode.command'), args: get('agent.opencode.args') },
    },
    checkpointPatches: { enabled: get('checkpoint_patches.enabled'), maxSizeBytes: get('checkpoint_patches.max_size_bytes') },
    output: { maxBytesPerTask: get('output.max_bytes_per_task') },
    worktree: { baseDir: abs('worktree.base_dir'), reposDir: abs('worktree.repos_dir'), allowedRoots: get<string[]>('worktree.allowed_roots').map((r) => resolve(opts.cwd, expandHome(r, home))) },
    localDb: { path: abs('local_db.path') },
    log: { level: get('log.level'), file: abs('log.file') },
    web: { enabled: get('web.enabled'), port: get('web.port'), host: get('web.host'), tokenFile: get<string | undefined>('web.token_file') === undefined ? undefined : abs('web.token_file') },
    ui: { theme: get('ui.theme') },
    configFiles: read,
    userSettingsFile: userFile,
    sources: Object.fromEntries([...layers].map(([k, l]) => [k, l.source])),
    warnings: key.warnings,
  }
  return { kind: 'config', config }
}

async function readToml(file: string, required: boolean): Promise<Record<string, unknown> | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (!required && (code === 'ENOENT' || code === 'ENOTDIR')) return null
    throw new ConfigError('config file', { kind: 'file', path: file }, `cannot be read (${code ?? String(err)})`)
  }
  try {
    return parseToml(text) as Record<string, unknown>
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0]
    throw new ConfigError('config file', { kind: 'file', path: file }, `is not valid TOML: ${first}`)
  }
}

function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path
}

function applyToml(layers: Map<string, Layered>, custom: Map<string, RawCustomAgent>, table: Record<string, unknown>, file: string, rank: number, prefix = ''): void {
  for (const [k, v] of Object.entries(table)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (SETTING_BY_KEY.has(key)) {
      layers.set(key, { value: v, source: { kind: 'file', path: file }, rank })
    } else if (isCustomAgentKey(key)) {
      collectCustomAgentField(custom, key, v, { kind: 'file', path: file })
    } else if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      applyToml(layers, custom, v as Record<string, unknown>, file, rank, key)
    } else {
      const known = SETTINGS.map((s) => s.key).join(', ')
      throw new ConfigError(key, { kind: 'file', path: file }, `unknown key; known keys are ${known}`)
    }
  }
}

/** Sets a layer only where nothing of higher precedence (environment, flags) has already. */
function applyUserSettings(layers: Map<string, Layered>, table: Record<string, unknown>, file: string): void {
  for (const [key, value] of flattenToml(table)) {
    if (!(EDITABLE_SETTINGS as readonly string[]).includes(key)) {
      throw new ConfigError(key, { kind: 'app', path: file }, `cannot be set in the app's settings; it takes ${EDITABLE_SETTINGS.join(', ')}`)
    }
    const layer = layers.get(key)
    if (!layer || layer.rank < USER_RANK) layers.set(key, { value, source: { kind: 'app', path: file }, rank: USER_RANK })
  }
}

export function fromString(setting: Setting, raw: string): unknown {
  const text = raw.trim()
  switch (setting.kind) {
    case 'int':
      return /^[+-]?\d+$/.test(text) ? Number(text) : raw
    case 'bool': {
      const t = text.toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(t)) return true
      if (['false', '0', 'no', 'off'].includes(t)) return false
      return raw
    }
    case 'list':
      if (text.startsWith('[')) {
        try {
          return JSON.parse(text) as unknown
        } catch {
          return raw
        }
      }
      return text === '' ? [] : text.split(/\s+/)
    case 'string':
      return raw
  }
}

function validate(setting: Setting, layers: Map<string, Layered>, dataDir: string): unknown {
  const layer = layers.get(setting.key)
  const value = layer ? layer.value : setting.default(dataDir)
  const result = setting.schema.safeParse(value)
  if (result.success) return result.data
  const source = layer?.source ?? { kind: 'default' as const }
  const shown = SECRET_KEYS.has(setting.key) ? '<redacted>' : JSON.stringify(value)
  const allowed = setting.schema.description ?? 'a valid value'
  throw new ConfigError(setting.key, source, `got ${shown}, expected ${allowed}`)
}

/** agent.default names a built-in agent or one of the custom ones. */
function defaultAgent(name: string, custom: Record<string, unknown>, source: Source | undefined): string {
  if (isBuiltinAgent(name) || Object.hasOwn(custom, name)) return name
  throw new ConfigError('agent.default', source ?? { kind: 'default' }, `got ${JSON.stringify(name)}, expected claude, codex, gemini, opencode or a custom agent ([agent.<name>] with a dialect)`)
}

const isBuiltinAgent = (name: string) => name === 'claude' || name === 'codex' || name === 'gemini' || name === 'opencode'
