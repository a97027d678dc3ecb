// A small argv parser for the makima CLI: positionals plus `--flag value`, `--flag=value` and
// boolean switches. Unknown flags and missing values are errors, reported in words.
export interface FlagSpec {
  /** Flags taking a value. */
  values?: readonly string[]
  /** Switches (present = true). */
  switches?: readonly string[]
}

export interface ParsedArgs {
  positionals: string[]
  flags: Map<string, string>
  switches: Set<string>
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const values = new Set(spec.values ?? [])
  const switches = new Set(spec.switches ?? [])
  const out: ParsedArgs = { positionals: [], flags: new Map(), switches: new Set() }
  let onlyPositionals = false
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (onlyPositionals || !a.startsWith('--') || a === '-') {
      out.positionals.push(a)
      continue
    }
    if (a === '--') {
      onlyPositionals = true
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq >= 0 ? eq : undefined)
    if (switches.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`)
      out.switches.add(name)
    } else if (values.has(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i]
      if (v === undefined) throw new UsageError(`--${name} needs a value`)
      out.flags.set(name, v)
    } else {
      const known = [...values, ...switches].map((f) => `--${f}`).join(', ')
      throw new UsageError(`unknown option --${name}${known ? ` (known: ${known})` : ''}`)
    }
  }
  return out
}

/** Comma-separated list, each entry trimmed, empty entries dropped (as the original's --choices). */
export function commaList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
}

/** A non-negative number of seconds. */
export function secondsArg(v: string | undefined, what: string, fallback: number): number {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${what} must be a number of seconds, not "${v}"`)
  return n
}
