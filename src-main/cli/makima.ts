// The `makima` CLI that agents run inside tasks: `makima supervisor …`, `makima contract …` and
// `makima orchestrate …` (behind .makima/orchestrate.sh). It talks to the API named by
// MAKIMA_API_URL with the task's MAKIMA_API_KEY (the embedded tool API in local mode, the server's
// in remote mode). JSON on stdout; errors on stderr with exit 1. Bundled as out/main/makima.js.
import { parseArgs, UsageError } from './args'
import { ApiClient } from './client'
import { CliFailure, GROUPS, type Command } from './commands'

export interface CliIo {
  out(text: string): void
  err(text: string): void
  readStdin(): Promise<string>
  sleep?(ms: number): Promise<void>
}

function usage(group?: string): string {
  const groups = group && GROUPS[group] ? [group] : Object.keys(GROUPS)
  return groups.map((g) => Object.values(GROUPS[g]!).map((c) => `  makima ${g} ${c.usage}`).join('\n')).join('\n')
}

export async function runCli(argv: readonly string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const [group, name, ...rest] = argv
  if (!group || group === '--help' || group === 'help') {
    io.out(`Usage:\n${usage()}\n`)
    return group ? 0 : 1
  }
  const commands = GROUPS[group]
  if (!commands) {
    io.err(`makima: unknown command "${group}"\nUsage:\n${usage()}\n`)
    return 1
  }
  const cmd: Command | undefined = name ? commands[name] : undefined
  if (!cmd) {
    if (name === '--help' || name === 'help') {
      io.out(`Usage:\n${usage(group)}\n`)
      return 0
    }
    io.err(`makima: ${name ? `unknown ${group} command "${name}"` : `${group} needs a command`}\nUsage:\n${usage(group)}\n`)
    return 1
  }
  const apiUrl = env.MAKIMA_API_URL
  const apiKey = env.MAKIMA_API_KEY
  if (!apiUrl || !apiKey) {
    io.err('makima: MAKIMA_API_URL and MAKIMA_API_KEY must be set (they are, inside a Makima task)\n')
    return 1
  }
  try {
    const args = parseArgs(rest, cmd.flags ?? {})
    const n = args.positionals.length
    if (n < cmd.min || n > cmd.max) throw new UsageError(n < cmd.min ? 'missing arguments' : `unexpected argument "${args.positionals[cmd.max]}"`)
    const api = new ApiClient({ apiUrl, apiKey, taskId: env.MAKIMA_TASK_ID || undefined, contractId: env.MAKIMA_CONTRACT_ID || undefined })
    const out = await cmd.run({ api, args, readStdin: io.readStdin, sleep: io.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))) })
    io.out(out.kind === 'json' ? `${JSON.stringify(out.value, null, 2)}\n` : `${out.text}\n`)
    return 0
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`makima ${group} ${name}: ${e.message}\nUsage: makima ${group} ${cmd.usage}\n`)
      return 1
    }
    if (e instanceof CliFailure) {
      io.err(`makima ${group} ${name}: ${e.message}\n`)
      return 1
    }
    io.err(`makima ${group} ${name}: ${e instanceof Error ? e.message : String(e)}\n`)
    return 1
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer))
  return Buffer.concat(chunks).toString('utf8')
}

const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined && /makima(\.[cm]?[jt]s)?$/.test(process.argv[1])
if (isMain) {
  void runCli(process.argv.slice(2), process.env, {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    readStdin: () => readAll(process.stdin),
  }).then((code) => {
    process.exitCode = code
  })
}
