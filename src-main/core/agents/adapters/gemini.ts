// Gemini CLI: `gemini --prompt=<text> --output-format stream-json`, stdin at EOF (piped stdin would
// be read as the prompt); a follow-up is a new process with `--resume <session id>`. Output is
// JSONL: init, message (user/assistant, deltas), tool_use, tool_result, error, result (status,
// stats). See shared/agent-protocols.md §3.2.
import { join } from 'node:path'
import type { ClassifiedLine } from '../classify'
import type { AgentAdapter, AgentEvent, ErrorCategory } from './types'
import { parseSemver } from './version'

type Json = Record<string, unknown>
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

export const geminiAdapter: AgentAdapter = {
  name: 'gemini',
  displayName: 'Gemini CLI',
  defaultCommand: 'gemini',
  installHint: 'install the Gemini CLI: npm install -g @google/gemini-cli',
  capabilities: { midTurnMessages: false, systemPromptFlag: false },
  signIn: { kind: 'api-key', envVar: 'GEMINI_API_KEY', hint: "set GEMINI_API_KEY for the daemon, or run 'gemini' once on its machine to sign in" },
  plan(o) {
    // --skip-trust: a worktree is a new folder the CLI has never seen; headless it would refuse.
    const args = [...(o.preArgs ?? []), '--output-format', 'stream-json', '--skip-trust']
    args.push(...(o.enablePermissions ? ['--approval-mode', 'auto_edit'] : ['--yolo']))
    if (o.resumeSessionId) args.push('--resume', o.resumeSessionId)
    args.push(...(o.extraArgs ?? []))
    // No system prompt flag: the mode prompt leads the first message of a session.
    const prompt = o.systemPrompt && !o.resumeSessionId ? `${o.systemPrompt}\n\n${o.prompt}` : o.prompt
    // One argv element `--prompt=<text>`: a prompt starting with '-' is never read as a flag.
    args.push(`--prompt=${prompt}`)
    return { command: o.command, args, input: { kind: 'argv' } }
  },
  env: (base) => ({ ...base }),
  // Settings, chats (for --resume) and its tmp dir; GEMINI_CLI_HOME stands in for the home.
  configPaths: (env) => {
    const home = env.GEMINI_CLI_HOME ?? env.HOME
    return home ? [join(home, '.gemini')] : []
  },
  parser: geminiParser,
  parseVersion: parseSemver,
}

/** Deltas of one assistant message share an id; a tool call starts the next message. */
function geminiParser(): (line: ClassifiedLine) => AgentEvent[] {
  let message = 0
  return (line) => {
    const j = line.json
    if (!j || line.stream !== 'stdout') return []
    switch (j.type) {
      case 'init':
        return typeof j.session_id === 'string' ? [{ kind: 'session_started', sessionId: j.session_id, ...(str(j.model) ? { model: str(j.model)! } : {}) }] : []
      case 'message':
        return j.role === 'assistant' && typeof j.content === 'string' ? [{ kind: 'text', text: j.content, messageId: `gemini-${message}`, ...(j.delta === true ? { delta: true } : {}) }] : []
      case 'tool_use': {
        message++
        const name = str(j.tool_name) ?? ''
        const out: AgentEvent[] = [{ kind: 'tool_call', callId: str(j.tool_id) ?? '', name, input: j.parameters }]
        const path = isRecord(j.parameters) ? str(j.parameters.file_path) : undefined
        if (path && (name === 'write_file' || name === 'replace')) out.push({ kind: 'file_change', path, change: name === 'write_file' ? 'add' : 'update' })
        return out
      }
      case 'tool_result': {
        const output = str(j.output) ?? (isRecord(j.error) ? str(j.error.message) : undefined)
        return [{ kind: 'tool_result', callId: str(j.tool_id) ?? '', ok: j.status === 'success', ...(output !== undefined ? { output } : {}) }]
      }
      case 'error':
        return [errorEvent(str(j.message) ?? 'error', j.severity === 'error')]
      case 'result':
        return resultEvents(j)
      default:
        return []
    }
  }
}

function resultEvents(j: Json): AgentEvent[] {
  const out: AgentEvent[] = []
  if (isRecord(j.stats)) {
    // Per process: every model the run used (the router's too), summed by the CLI.
    out.push({ kind: 'usage', scope: 'turn', input: num(j.stats.input_tokens), output: num(j.stats.output_tokens), cachedInput: num(j.stats.cached) })
  }
  const ok = j.status === 'success'
  if (!ok) out.push(errorEvent(isRecord(j.error) ? (str(j.error.message) ?? 'error') : 'error', true))
  const durationMs = isRecord(j.stats) && typeof j.stats.duration_ms === 'number' ? j.stats.duration_ms : undefined
  out.push({ kind: 'turn_completed', ok, queuedTurns: 0, ...(durationMs !== undefined ? { durationMs } : {}) })
  return out
}

function errorEvent(message: string, fatal: boolean): AgentEvent {
  const category = categoryOf(message)
  if (category !== 'auth') return { kind: 'error', category, message, fatal }
  return { kind: 'error', category, message, fatal, auth: { reason: 'invalid-credentials', message: firstLine(message), via: 'text' } }
}

function categoryOf(message: string): ErrorCategory {
  if (/API_KEY_INVALID|API key not valid|UNAUTHENTICATED|"code":401|PERMISSION_DENIED/.test(message)) return 'auth'
  if (/RESOURCE_EXHAUSTED|"code":429|quota/i.test(message)) return 'rate_limit'
  return 'api'
}

function firstLine(text: string): string {
  const m = /"message":"([^"]+)"/.exec(text)
  return m?.[1] ?? text.split('\n', 1)[0] ?? text
}
