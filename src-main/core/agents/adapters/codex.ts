// Codex CLI: `codex exec --json [flags] "<prompt>"`, stdin at EOF (else it waits for more input);
// a follow-up is a new process, `codex exec --json [flags] resume <thread id> "<message>"`.
// Output is JSONL: thread.started, turn.started, item.started/updated/completed, turn.completed
// (usage) / turn.failed, error. See shared/agent-protocols.md §3.1.
import { join } from 'node:path'
import type { AuthErrorMatch } from '../../auth/detect'
import type { ClassifiedLine } from '../classify'
import type { AgentAdapter, AgentEvent, ErrorCategory } from './types'
import { parseSemver } from './version'

type Json = Record<string, unknown>
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

export const codexAdapter: AgentAdapter = {
  name: 'codex',
  displayName: 'Codex CLI',
  defaultCommand: 'codex',
  installHint: 'install the Codex CLI: npm install -g @openai/codex',
  capabilities: { midTurnMessages: false, systemPromptFlag: false },
  signIn: { kind: 'api-key', envVar: 'OPENAI_API_KEY', hint: "set OPENAI_API_KEY for the daemon, or run 'codex login' on its machine" },
  plan(o) {
    const args = [...(o.preArgs ?? []), 'exec', '--json', '--skip-git-repo-check']
    args.push(...(o.enablePermissions ? ['--full-auto'] : ['--dangerously-bypass-approvals-and-sandbox']))
    args.push(...(o.extraArgs ?? []))
    // No system prompt flag for exec: the mode prompt leads the first message of a session.
    const prompt = o.systemPrompt && !o.resumeSessionId ? `${o.systemPrompt}\n\n${o.prompt}` : o.prompt
    if (o.resumeSessionId) args.push('resume', o.resumeSessionId)
    // `--` so a prompt starting with '-' is never read as a flag.
    args.push('--', prompt)
    return { command: o.command, args, input: { kind: 'argv' } }
  },
  env: (base) => ({ ...base }),
  // Sessions (rollouts), config.toml and auth.json.
  configPaths: (env) => (env.CODEX_HOME ? [env.CODEX_HOME] : env.HOME ? [join(env.HOME, '.codex')] : []),
  parser: () => codexEvents,
  parseVersion: parseSemver,
}

export function codexEvents(line: ClassifiedLine): AgentEvent[] {
  const j = line.json
  if (!j || line.stream !== 'stdout') return []
  switch (j.type) {
    case 'thread.started':
      return typeof j.thread_id === 'string' ? [{ kind: 'session_started', sessionId: j.thread_id }] : []
    case 'item.started':
    case 'item.completed':
      return isRecord(j.item) ? itemEvents(j.item, j.type === 'item.completed') : []
    case 'turn.completed': {
      const u = isRecord(j.usage) ? j.usage : {}
      return [
        // Observed with 0.171.0: the counts cover the whole thread, resumed runs included.
        { kind: 'usage', scope: 'session', input: num(u.input_tokens), output: num(u.output_tokens), cachedInput: num(u.cached_input_tokens) },
        { kind: 'turn_completed', ok: true, queuedTurns: 0 },
      ]
    }
    case 'turn.failed': {
      const message = isRecord(j.error) ? (str(j.error.message) ?? 'turn failed') : 'turn failed'
      return [errorEvent(message, true), { kind: 'turn_completed', ok: false, queuedTurns: 0 }]
    }
    case 'error': {
      // "Reconnecting... n/5" is the CLI retrying by itself.
      const message = str(j.message) ?? 'error'
      const retry = /^Reconnecting\.\.\.\s*(\d+)/.exec(message)
      if (retry) return [{ kind: 'retry', attempt: Number(retry[1]), status: statusOf(message), category: categoryOf(message), message }]
      return [errorEvent(message, false)]
    }
    default:
      return []
  }
}

function itemEvents(item: Json, done: boolean): AgentEvent[] {
  const id = str(item.id) ?? ''
  switch (item.type) {
    case 'agent_message':
      return done && typeof item.text === 'string' ? [{ kind: 'text', text: item.text, messageId: id }] : []
    case 'reasoning':
      return done && typeof item.text === 'string' ? [{ kind: 'thinking', text: item.text }] : []
    case 'command_execution':
      return done
        ? [{ kind: 'tool_result', callId: id, ok: item.exit_code === 0, output: str(item.aggregated_output) ?? '' }]
        : [{ kind: 'tool_call', callId: id, name: 'shell', input: { command: item.command } }]
    case 'mcp_tool_call':
      return done
        ? [{ kind: 'tool_result', callId: id, ok: item.error == null, output: JSON.stringify(item.result ?? item.error ?? null) }]
        : [{ kind: 'tool_call', callId: id, name: `${str(item.server) ?? 'mcp'}.${str(item.tool) ?? ''}`, input: item.arguments }]
    case 'file_change':
      if (!done || !Array.isArray(item.changes)) return []
      return item.changes.filter(isRecord).map((c) => ({ kind: 'file_change', path: str(c.path) ?? '', change: c.kind === 'add' ? 'add' : c.kind === 'delete' ? 'delete' : 'update' }))
    case 'error':
      // Warnings the CLI reports as items (e.g. missing model metadata): shown, not fatal.
      return done ? [errorEvent(str(item.message) ?? 'error', false)] : []
    default:
      return []
  }
}

function errorEvent(message: string, fatal: boolean): AgentEvent {
  const category = categoryOf(message)
  if (category !== 'auth') return { kind: 'error', category, message, fatal }
  const auth: AuthErrorMatch = { reason: 'invalid-credentials', message, via: 'text' }
  return { kind: 'error', category, message, fatal, auth }
}

function statusOf(message: string): number | null {
  const m = /\bstatus (\d{3})\b/.exec(message)
  return m ? Number(m[1]) : null
}

function categoryOf(message: string): ErrorCategory {
  const status = statusOf(message)
  if (status === 401 || status === 403 || /Incorrect API key|invalid_api_key|Not logged in|Unauthorized/i.test(message)) return 'auth'
  if (status === 429 || /usage limit|rate limit/i.test(message)) return 'rate_limit'
  return 'api'
}
