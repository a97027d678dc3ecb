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
  -k, --api-key <key>        Makima server API key
  -m, --max-tasks <n>        maximum concurrent tasks (default 10)
  -l, --log-level <level>    trace | debug | info | warn | error (default info)
      --repos-dir <dir>      where cloned repositories live
      --worktrees-dir <dir>  where task worktrees live
      --data-dir <dir>       database, logs and machine id
      --web-port <port>      headless web UI port on 127.0.0.1 (default 7421, 0 = any free port)
      --bubblewrap           run every agent in a bubblewrap sandbox
      --daemon               run headless: no window, no tray
  -h, --help                 show this help
  -V, --version              show the version`

const SETTING_FLAGS = ['server-url', 'api-key', 'max-tasks', 'log-level', 'repos-dir', 'worktrees-dir', 'data-dir', 'web-port'] as const

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
        'max-tasks': { type: 'string', short: 'm' },
        'log-level': { type: 'string', short: 'l' },
        'repos-dir': { type: 'string' },
        'worktrees-dir': { type: 'string' },
        'data-dir': { type: 'string' },
        'web-port': { type: 'string' },
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
