// Claude Code stream-json lines as common events (shared/agent-protocols.md §1.3, §1.6).
import { detectAuthError } from '../../auth/detect'
import type { ClassifiedLine } from '../classify'
import { isNoConversationFound, parseResult } from './claude'
import type { AgentEvent, ErrorCategory } from './types'

type Json = Record<string, unknown>
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

export function claudeEvents(line: ClassifiedLine): AgentEvent[] {
  const out: AgentEvent[] = []
  if (line.kind !== 'notice') {
    const auth = detectAuthError({ stream: line.stream, text: line.text, json: line.json })
    if (auth) out.push({ kind: 'error', category: 'auth', message: auth.message, fatal: true, auth })
  }
  if (isNoConversationFound(line)) out.push({ kind: 'error', category: 'no_session', message: line.text, fatal: true })
  const j = line.json
  if (!j || line.stream !== 'stdout') return out
  switch (line.kind) {
    case 'system':
      return [...out, ...systemEvents(j)]
    case 'assistant':
      return [...out, ...assistantEvents(j)]
    case 'user':
      return [...out, ...toolResults(j)]
    case 'result':
      return [...out, ...resultEvents(line)]
    default:
      return out
  }
}

function systemEvents(j: Json): AgentEvent[] {
  if (j.subtype === 'init') {
    const sid = str(j.session_id)
    if (!sid) return []
    const model = str(j.model)
    const cwd = str(j.cwd)
    return [{ kind: 'session_started', sessionId: sid, ...(model ? { model } : {}), ...(cwd ? { cwd } : {}) }]
  }
  if (j.subtype === 'api_retry') {
    const status = num(j.error_status) ?? null
    const message = str(j.error)
    const retry: AgentEvent = { kind: 'retry', attempt: num(j.attempt) ?? 0, status, category: retryCategory(status, message) }
    return [message ? { ...retry, message } : retry]
  }
  return []
}

function retryCategory(status: number | null, error: string | undefined): ErrorCategory {
  if (status === 401 || error === 'authentication_failed') return 'auth'
  if (status === 429 || error === 'rate_limit') return 'rate_limit'
  return 'api'
}

function assistantEvents(j: Json): AgentEvent[] {
  const message = isRecord(j.message) ? j.message : {}
  // A synthetic message carrying an API error is not the agent's words (auth is reported above).
  if (typeof j.error === 'string') {
    return j.error === 'authentication_failed' ? [] : [{ kind: 'error', category: errorCategory(j.error), message: blockText(message), fatal: false }]
  }
  const id = str(message.id)
  const subagent = j.parent_tool_use_id != null
  const out: AgentEvent[] = []
  const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? message.content : []
  for (const b of content) {
    if (!isRecord(b)) continue
    if (b.type === 'text' && typeof b.text === 'string') {
      out.push({ kind: 'text', text: b.text, ...(id ? { messageId: id } : {}), ...(subagent ? { subagent } : {}) })
    } else if (b.type === 'thinking' && typeof b.thinking === 'string') {
      out.push({ kind: 'thinking', text: b.thinking })
    } else if (b.type === 'tool_use') {
      out.push({ kind: 'tool_call', callId: str(b.id) ?? '', name: str(b.name) ?? '', input: b.input })
      const change = fileChange(str(b.name), b.input)
      if (change) out.push(change)
    }
  }
  return out
}

/** Claude has no file-change event: derive it from the editing tools' inputs. */
function fileChange(name: string | undefined, input: unknown): AgentEvent | null {
  if (!isRecord(input) || typeof input.file_path !== 'string') return null
  if (name === 'Write') return { kind: 'file_change', path: input.file_path, change: 'add' }
  if (name === 'Edit' || name === 'MultiEdit') return { kind: 'file_change', path: input.file_path, change: 'update' }
  return null
}

function toolResults(j: Json): AgentEvent[] {
  const message = isRecord(j.message) ? j.message : {}
  if (!Array.isArray(message.content)) return []
  const out: AgentEvent[] = []
  for (const b of message.content) {
    if (!isRecord(b) || b.type !== 'tool_result') continue
    const output = typeof b.content === 'string' ? b.content : Array.isArray(b.content) ? blockText({ content: b.content }) : undefined
    out.push({ kind: 'tool_result', callId: str(b.tool_use_id) ?? '', ok: b.is_error !== true, ...(output !== undefined ? { output } : {}) })
  }
  return out
}

function resultEvents(line: ClassifiedLine): AgentEvent[] {
  const r = parseResult(line)
  if (!r) return []
  const j = line.json!
  const out: AgentEvent[] = []
  const usage = isRecord(j.usage) ? j.usage : null
  if (usage || r.totalCostUsd !== undefined) {
    const cached = num(usage?.cache_read_input_tokens)
    out.push({
      kind: 'usage', scope: 'turn', input: num(usage?.input_tokens) ?? 0, output: num(usage?.output_tokens) ?? 0,
      ...(cached !== undefined ? { cachedInput: cached } : {}), ...(r.totalCostUsd !== undefined ? { costUsd: r.totalCostUsd } : {}),
    })
  }
  if (r.isError && r.apiErrorStatus !== 401) {
    const category: ErrorCategory = r.subtype === 'error_max_turns' ? 'max_turns' : r.apiErrorStatus === 429 ? 'rate_limit' : 'api'
    out.push({ kind: 'error', category, message: r.text, fatal: true })
  }
  out.push({
    kind: 'turn_completed', ok: r.ok, queuedTurns: r.queuedTurns, ...(typeof j.result === 'string' && j.result ? { resultText: j.result } : {}),
    ...(r.numTurns !== undefined ? { numTurns: r.numTurns } : {}), ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}),
  })
  return out
}

function errorCategory(error: string): ErrorCategory {
  if (error === 'rate_limit') return 'rate_limit'
  if (error === 'billing_error') return 'quota'
  return 'api'
}

function blockText(message: Json): string {
  if (typeof message.content === 'string') return message.content
  if (!Array.isArray(message.content)) return ''
  return message.content.filter((b): b is { type: 'text'; text: string } => isRecord(b) && b.type === 'text' && typeof b.text === 'string').map((b) => b.text).join('\n')
}
