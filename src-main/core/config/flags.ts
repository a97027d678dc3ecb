// Command-line flags of the original daemon (-c -s -k -m -l --repos-dir --worktrees-dir) plus ours.
import { parseArgs } from 'node:util'
import { ConfigError } from './config'

export interface ParsedFlags {
  configFile?: string
  daemon: boolean
  help: boolean
  version: boolean
  /** Setting flag name → raw value, e.g. { 'max-tasks': '4' }. */
  values: Record<string, string>
}

export const USAGE = `Usage: makima-desktop [options]

  -c, --config <file>        read this TOML config file (above the standard ones)
  -s, --server-url <url>     Makima server WebSocket URL (remote mode)
  -k, --api-key <key>        Makima server API key (visible to every user in ps; prefer the two below)
      --api-key-file <file>  read the Makima server API key from this file (or set MAKIMA_API_KEY)
  -m, --max-tasks <n>        maximum concurrent tasks (default 10)
  -l, --log-level <level>    trace | debug | info | warn | error (default info)
      --repos-dir <dir>      where cloned repositories live
      --worktrees-dir <dir>  where task worktrees live
      --data-dir <dir>       database, logs and machine id
      --web-port <port>      headless web UI port (default 7421, 0 = any free port)
      --web-host <address>   address the web UI listens on (default 127.0.0.1; others warn)
      --agent <name>         default agent for new tasks: claude | codex | gemini | opencode | a custom one (default claude)
      --model <name>         the model Claude Code runs (e.g. sonnet, opus; default: the CLI's own)
      --bubblewrap           run every agent in a bubblewrap sandbox
      --daemon               run headless: no window, no tray
  -h, --help                 show this help
  -V, --version              show the version`

const SETTING_FLAGS = ['server-url', 'api-key', 'api-key-file', 'max-tasks', 'log-level', 'repos-dir', 'worktrees-dir', 'data-dir', 'web-port', 'web-host', 'agent', 'model'] as const

const VALUE_FLAGS = new Set(['config', ...SETTING_FLAGS])
const SWITCH_FLAGS = new Set(['daemon', 'bubblewrap', 'help', 'version'])

/**
 * Electron's argv also carries Chromium and Electron switches (`--no-sandbox`, `--enable-logging`,
 * `--ozone-platform=wayland`, `--inspect=…`): those are the host's, not ours, and must not stop the
 * app. Long options we do not know pass through to the host; ours (and every short option) stay
 * ours and are validated strictly. Host switches always carry their value after `=`.
 */
export function splitHostSwitches(argv: readonly string[]): { ours: string[]; host: string[] } {
  const ours: string[] = []
  const host: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') {
      ours.push(...argv.slice(i))
      break
    }
    if (!a.startsWith('--')) {
      ours.push(a)
      continue
    }
    const name = a.slice(2).split('=')[0]!
    if (SWITCH_FLAGS.has(name)) ours.push(a)
    else if (VALUE_FLAGS.has(name)) {
      ours.push(a)
      if (!a.includes('=') && i + 1 < argv.length) ours.push(argv[++i]!)
    } else host.push(a)
  }
  return { ours, host }
}

export function parseFlags(argv: string[]): ParsedFlags {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        'server-url': { type: 'string', short: 's' },
        'api-key': { type: 'string', short: 'k' },
        'api-key-file': { type: 'string' },
        'max-tasks': { type: 'string', short: 'm' },
        'log-level': { type: 'string', short: 'l' },
        'repos-dir': { type: 'string' },
        'worktrees-dir': { type: 'string' },
        'data-dir': { type: 'string' },
        'web-port': { type: 'string' },
        'web-host': { type: 'string' },
        agent: { type: 'string' },
        model: { type: 'string' },
        daemon: { type: 'boolean' },
        bubblewrap: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    })
  } catch (err) {
    // parseArgs messages name the flag; never echo a value (it could be a key).
    const message = err instanceof Error ? err.message.split('. ')[0] : String(err)
    throw new ConfigError('arguments', { kind: 'argv' }, `${message}; see --help`)
  }
  const v = parsed.values
  const values: Record<string, string> = {}
  if (v.bubblewrap === true) values.bubblewrap = 'true'
  for (const name of SETTING_FLAGS) {
    const raw = v[name]
    if (typeof raw === 'string') values[name] = raw
  }
  return {
    configFile: v.config,
    daemon: v.daemon === true,
    help: v.help === true,
    version: v.version === true,
    values,
  }
}
