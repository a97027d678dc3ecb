// COMPLETION_GATE: how an agent in autonomous mode says it is done (makima-upstream §6a).
//
//   <COMPLETION_GATE>
//   ready: true|false
//   reason: "..."
//   progress: "..."
//   blockers: ["..."]          (optional; a JSON list, or "- item" lines below the key)
//   </COMPLETION_GATE>
//
// A JSON object body ({"ready":true,...}) is accepted too. Unknown keys are kept in `extra`.
// The gate is read from what the agent SAID: the decoded text blocks of its own assistant
// messages and the `result` text — never from tool results or tool inputs (a file the agent
// wrote, or a command's output, may well contain the tags). The last block of an iteration wins;
// if that block is malformed, the iteration counts as "no valid gate".
import { claudeEvents } from '../agents/adapters/claude-events'
import type { AgentEvent } from '../agents/adapters/types'

export interface CompletionGate {
  ready: boolean
  reason?: string
  progress?: string
  blockers?: string[]
  extra: Record<string, unknown>
}

export type GateReading =
  | { kind: 'none' }
  | { kind: 'malformed'; raw: string; problem: string }
  | { kind: 'gate'; gate: CompletionGate }

const OPEN = '<COMPLETION_GATE>'
const CLOSE = '</COMPLETION_GATE>'

/** Bodies of every complete block, in order. */
export function gateBodies(text: string): string[] {
  const out: string[] = []
  let from = 0
  for (;;) {
    const start = text.indexOf(OPEN, from)
    if (start < 0) break
    const end = text.indexOf(CLOSE, start + OPEN.length)
    if (end < 0) break
    out.push(text.slice(start + OPEN.length, end))
    from = end + CLOSE.length
  }
  return out
}

export function parseGateBody(body: string): GateReading {
  const trimmed = body.trim()
  if (trimmed.startsWith('{')) return fromObject(trimmed)
  const fields: Record<string, unknown> = {}
  let listKey: string | null = null
  for (const rawLine of trimmed.split(/\r?\n/)) {
    const line = rawLine.trim()
    if (!line || line.startsWith('```')) continue
    const item = /^[-*]\s+(.*)$/.exec(line)
    if (item && listKey) {
      ;(fields[listKey] as unknown[]).push(unquote(item[1]!))
      continue
    }
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line)
    if (!kv) continue
    const key = kv[1]!.toLowerCase()
    const value = kv[2]!.trim()
    if (value === '') {
      fields[key] = []
      listKey = key
      continue
    }
    listKey = null
    fields[key] = parseValue(value)
  }
  return fromFields(fields, trimmed)
}

function fromObject(json: string): GateReading {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch (err) {
    return { kind: 'malformed', raw: json, problem: `invalid JSON: ${(err as Error).message}` }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { kind: 'malformed', raw: json, problem: 'not an object' }
  const lowered: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(parsed)) lowered[k.toLowerCase()] = v
  return fromFields(lowered, json)
}

function fromFields(fields: Record<string, unknown>, raw: string): GateReading {
  const ready = toBool(fields.ready)
  if (ready === null) return { kind: 'malformed', raw, problem: 'missing or invalid "ready" (expected true or false)' }
  const gate: CompletionGate = { ready, extra: {} }
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'ready') continue
    if (key === 'reason' || key === 'progress') {
      if (value != null && value !== '') gate[key] = String(value)
    } else if (key === 'blockers') {
      const list = Array.isArray(value) ? value : value == null || value === '' ? [] : [value]
      const blockers = list.map((b) => String(b).trim()).filter(Boolean)
      if (blockers.length) gate.blockers = blockers
    } else {
      gate.extra[key] = value
    }
  }
  return { kind: 'gate', gate }
}

function parseValue(value: string): unknown {
  if (value.startsWith('[') || value.startsWith('{') || value.startsWith('"')) {
    try {
      return JSON.parse(value)
    } catch {
      // Not JSON after all: keep the text, minus surrounding quotes.
    }
  }
  return unquote(value)
}

function unquote(value: string): string {
  const v = value.trim()
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1)
  return v
}

function toBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return null
  const v = value.trim().toLowerCase()
  if (v === 'true' || v === 'yes') return true
  if (v === 'false' || v === 'no') return false
  return null
}

/** The reading of the last block in `text`. */
export function parseLastGate(text: string): GateReading {
  const bodies = gateBodies(text)
  const last = bodies.at(-1)
  return last === undefined ? { kind: 'none' } : parseGateBody(last)
}

/**
 * Collects what the agent said during one iteration, from its stream-json lines, and reads the
 * gate from it. Consecutive text blocks of one API message are joined without a separator (one
 * message arrives as several `assistant` lines), different messages with a newline.
 */
export class GateTranscript {
  private parts: string[] = []
  private length = 0
  private lastMessageId: string | null = null

  /** Keeps at most about this many characters (the tail: a gate ends the agent's last words). */
  constructor(private readonly maxChars = 1 << 20) {}

  private push(text: string): void {
    this.parts.push(text)
    this.length += text.length
    if (this.length > this.maxChars * 2) {
      const tail = this.parts.join('').slice(-this.maxChars)
      this.parts = [tail]
      this.length = tail.length
    }
  }

  /** Feed a common event: only the agent's own words (not a sub-agent's) and the turn's result count. */
  feedEvent(ev: AgentEvent): void {
    if (ev.kind === 'text' && !ev.subagent && ev.text) {
      const id = ev.messageId ?? null
      const sameMessage = id !== null && id === this.lastMessageId
      this.push((this.length && !sameMessage ? '\n' : '') + ev.text)
      this.lastMessageId = id
    } else if (ev.kind === 'turn_completed' && ev.resultText) {
      this.push((this.length ? '\n' : '') + ev.resultText)
      this.lastMessageId = null
    }
  }

  /** Feed a parsed Claude stream-json line (kept for callers holding raw lines). */
  feed(line: unknown): void {
    if (!line || typeof line !== 'object' || Array.isArray(line)) return
    const json = line as Record<string, unknown>
    const kind = json.type === 'assistant' || json.type === 'result' ? json.type : 'json'
    for (const ev of claudeEvents({ kind, text: '', stream: 'stdout', json })) this.feedEvent(ev)
  }

  text(): string {
    return this.parts.join('')
  }

  reading(): GateReading {
    return parseLastGate(this.text())
  }

  reset(): void {
    this.parts = []
    this.length = 0
    this.lastMessageId = null
  }
}
