// Custom agents: any command that speaks one of the JSON dialects we read, configured by name in
// TOML — `[agent.<name>]` with `dialect = "claude" | "codex" | "gemini"`, `command` and `args`.
// The built-in names (claude, codex, gemini) and `default` are not custom agents.
import { z } from 'zod'
import { AGENT_DIALECTS, AgentIdSchema } from '../../../src-preload/contract'
import { ConfigError, type Source } from './config'

export const RESERVED_AGENT_KEYS: ReadonlySet<string> = new Set([...AGENT_DIALECTS, 'default'])

export const CustomAgentSchema = z
  .object({
    dialect: z.enum(AGENT_DIALECTS).describe('claude, codex, gemini or opencode'),
    command: z.string().min(1).describe('a command name or path'),
    args: z.array(z.string()).default([]).describe('a list of strings'),
  })
  .strict()
export type CustomAgent = z.infer<typeof CustomAgentSchema>

/** One `[agent.<name>]` table as read from a file (later files replace fields of earlier ones). */
export interface RawCustomAgent {
  fields: Record<string, unknown>
  source: Source
}

export function isCustomAgentKey(key: string): boolean {
  const m = /^agent\.([^.]+)\.[^.]+$/.exec(key)
  return m !== null && !RESERVED_AGENT_KEYS.has(m[1]!)
}

/** Adds `agent.<name>.<field> = value` from a TOML file. */
export function collectCustomAgentField(into: Map<string, RawCustomAgent>, key: string, value: unknown, source: Source): void {
  const [, name, field] = key.split('.') as [string, string, string]
  const entry = into.get(name) ?? { fields: {}, source }
  entry.fields[field] = value
  entry.source = source
  into.set(name, entry)
}

export function validateCustomAgents(raw: Map<string, RawCustomAgent>): Record<string, CustomAgent> {
  const out: Record<string, CustomAgent> = {}
  for (const [name, { fields, source }] of raw) {
    if (!AgentIdSchema.safeParse(name).success) throw new ConfigError(`agent.${name}`, source, 'expected an agent name of lowercase letters, digits and - (at most 32)')
    const r = CustomAgentSchema.safeParse(fields)
    if (!r.success) {
      const issue = r.error.issues[0]!
      const field = String(issue.path[0] ?? '')
      const known = ['dialect', 'command', 'args']
      const problem = issue.code === 'unrecognized_keys' ? `unknown key; a custom agent has ${known.join(', ')}` : `got ${JSON.stringify(fields[field])}, expected ${describe(field)}`
      throw new ConfigError(issue.code === 'unrecognized_keys' ? `agent.${name}.${(issue as { keys?: string[] }).keys?.[0] ?? ''}` : `agent.${name}.${field}`, source, problem)
    }
    out[name] = r.data
  }
  return out
}

function describe(field: string): string {
  if (field === 'dialect') return 'claude, codex, gemini or opencode'
  if (field === 'command') return 'a command name or path'
  return 'a list of strings'
}
