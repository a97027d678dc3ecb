// Turns stored agent output lines (stream-json, unchanged) into items a person can read.
// Pure: tested without a browser.
import type { OutputLine } from '../../../../src-preload/contract'

export type OutputItem =
  | { kind: 'text'; seq: number; role: 'assistant' | 'user'; text: string }
  | { kind: 'tool-call'; seq: number; name: string; summary: string }
  | { kind: 'tool-result'; seq: number; text: string; isError: boolean }
  | { kind: 'session'; seq: number; text: string }
  | { kind: 'you'; seq: number; text: string }
  | { kind: 'qa'; seq: number; question: string; answer: string }
  | { kind: 'result'; seq: number; text: string; isError: boolean; usage: TurnUsage }
  | { kind: 'stderr'; seq: number; text: string }
  | { kind: 'notice'; seq: number; text: string }
  | { kind: 'raw'; seq: number; text: string }

type Json = Record<string, unknown>

/** What one turn cost, from the CLI's result line (fields it left out are null). */
export interface TurnUsage {
  durationMs: number | null
  costUsd: number | null
  inputTokens: number | null
  outputTokens: number | null
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

function usageOf(json: Json): TurnUsage {
  const u = (json.usage ?? {}) as Json
  const parts = [u.input_tokens, u.cache_read_input_tokens, u.cache_creation_input_tokens].map(num)
  const input = parts.every((p) => p === null) ? null : parts.reduce<number>((a, p) => a + (p ?? 0), 0)
  return { durationMs: num(json.duration_ms), costUsd: num(json.total_cost_usd), inputTokens: input, outputTokens: num(u.output_tokens) }
}

/** "1.5 s · $0.0123 · 30 in / 5 out tokens" — only the parts that are known. */
export function formatUsage(u: TurnUsage): string {
  const parts: string[] = []
  if (u.durationMs !== null) parts.push(`${(u.durationMs / 1000).toFixed(1)} s`)
  if (u.costUsd !== null) parts.push(`$${u.costUsd.toFixed(4)}`)
  if (u.inputTokens !== null || u.outputTokens !== null) parts.push(`${(u.inputTokens ?? 0).toLocaleString('en')} in / ${(u.outputTokens ?? 0).toLocaleString('en')} out tokens`)
  return parts.join(' · ')
}

/** The answer the `makima supervisor ask` CLI printed, once the user answered it. */
function answeredQuestion(text: string): { question: string; answer: string } | null {
  if (!text.includes('"questionId"')) return null
  try {
    const v = JSON.parse(text) as Json
    return v.answered === true && typeof v.question === 'string' && typeof v.answer === 'string' ? { question: v.question, answer: v.answer } : null
  } catch {
    return null
  }
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s)

function toolSummary(input: unknown): string {
  if (!input || typeof input !== 'object') return ''
  const i = input as Json
  const pick = i.command ?? i.file_path ?? i.path ?? i.pattern ?? i.url ?? i.description
  return typeof pick === 'string' ? clip(pick, 200) : clip(JSON.stringify(input), 200)
}

function blocks(content: unknown): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  return Array.isArray(content) ? (content.filter((b) => b && typeof b === 'object') as Json[]) : []
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content
  return blocks(content)
    .map((b) => (typeof b.text === 'string' ? b.text : ''))
    .join('\n')
}

function toolResult(seq: number, text: string, isError: boolean): OutputItem {
  const qa = isError ? null : answeredQuestion(text)
  return qa ? { kind: 'qa', seq, ...qa } : { kind: 'tool-result', seq, text: clip(text, 4000), isError }
}

export function parseLine(line: OutputLine): OutputItem[] {
  const { seq, kind, data } = line
  if (kind === 'stderr') return [{ kind: 'stderr', seq, text: data }]
  if (kind === 'notice' || kind === 'text') return [{ kind: kind === 'notice' ? 'notice' : 'raw', seq, text: data }]
  let json: Json
  try {
    json = JSON.parse(data) as Json
  } catch {
    return [{ kind: 'raw', seq, text: data }]
  }
  switch (json.type) {
    case 'system':
      if (json.subtype === 'init') return [{ kind: 'session', seq, text: `Session started · ${String(json.model ?? 'model')} · ${String(json.cwd ?? '')}` }]
      if (json.subtype === 'api_retry') return [{ kind: 'notice', seq, text: 'The model API asked to retry…' }]
      return []
    case 'assistant': {
      const msg = (json.message ?? {}) as Json
      const items: OutputItem[] = []
      for (const b of blocks(msg.content)) {
        if (b.type === 'text' && typeof b.text === 'string' && b.text.trim()) items.push({ kind: 'text', seq, role: 'assistant', text: b.text })
        else if (b.type === 'tool_use') items.push({ kind: 'tool-call', seq, name: String(b.name ?? 'tool'), summary: toolSummary(b.input) })
      }
      return items
    }
    case 'user': {
      const msg = (json.message ?? {}) as Json
      const items: OutputItem[] = []
      for (const b of blocks(msg.content)) {
        if (b.type === 'tool_result') items.push(toolResult(seq, resultText(b.content), b.is_error === true))
        else if (json.origin === 'makima' && b.type === 'text' && typeof b.text === 'string') items.push({ kind: 'you', seq, text: b.text })
        else if (b.type === 'text' && typeof b.text === 'string') items.push({ kind: 'text', seq, role: 'user', text: b.text })
      }
      return items
    }
    case 'result': {
      const isError = json.is_error === true
      const text = typeof json.result === 'string' && json.result ? json.result : isError ? 'The turn ended with an error.' : 'Turn finished.'
      return [{ kind: 'result', seq, text, isError, usage: usageOf(json) }]
    }
    case 'stream_event':
      return []
    default:
      return [{ kind: 'raw', seq, text: clip(data, 2000) }]
  }
}

// Lines are immutable and keep their identity in the store's window, so each is parsed once — not
// once per frame, which under a flood meant 5,000 JSON.parse calls every frame.
const parsed = new WeakMap<OutputLine, OutputItem[]>()

// The CLI's result line repeats the turn's last assistant text: that text is shown once, and the
// result keeps only its usage.
export function parseLines(lines: readonly OutputLine[]): OutputItem[] {
  const out: OutputItem[] = []
  let lastAssistant: string | null = null
  for (const line of lines) {
    let items = parsed.get(line)
    if (!items) parsed.set(line, (items = parseLine(line)))
    for (const item of items) {
      if (item.kind === 'text' && item.role === 'assistant') lastAssistant = item.text
      if (item.kind === 'result' && !item.isError && lastAssistant !== null && item.text.trim() === lastAssistant.trim()) out.push({ ...item, text: 'Turn finished.' })
      else out.push(item)
      if (item.kind === 'result' || item.kind === 'you') lastAssistant = null
    }
  }
  return out
}

/** The usage of every turn in `items`, summed: the task's running total. */
export function totalUsage(items: readonly OutputItem[]): { turns: number; usage: TurnUsage } {
  const sum = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b)
  let usage: TurnUsage = { durationMs: null, costUsd: null, inputTokens: null, outputTokens: null }
  let turns = 0
  for (const i of items) {
    if (i.kind !== 'result') continue
    turns++
    usage = { durationMs: sum(usage.durationMs, i.usage.durationMs), costUsd: sum(usage.costUsd, i.usage.costUsd), inputTokens: sum(usage.inputTokens, i.usage.inputTokens), outputTokens: sum(usage.outputTokens, i.usage.outputTokens) }
  }
  return { turns, usage }
}
