// Turns stored agent output lines (stream-json, unchanged) into items a person can read.
// Pure: tested without a browser.
import type { OutputLine } from '../../../../src-preload/contract'

export type OutputItem =
  | { kind: 'text'; seq: number; role: 'assistant' | 'user'; text: string }
  | { kind: 'tool-call'; seq: number; name: string; summary: string }
  | { kind: 'tool-result'; seq: number; text: string; isError: boolean }
  | { kind: 'session'; seq: number; text: string }
  | { kind: 'result'; seq: number; text: string; isError: boolean }
  | { kind: 'stderr'; seq: number; text: string }
  | { kind: 'notice'; seq: number; text: string }
  | { kind: 'raw'; seq: number; text: string }

type Json = Record<string, unknown>

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
        if (b.type === 'tool_result') items.push({ kind: 'tool-result', seq, text: clip(resultText(b.content), 4000), isError: b.is_error === true })
        else if (b.type === 'text' && typeof b.text === 'string') items.push({ kind: 'text', seq, role: 'user', text: b.text })
      }
      return items
    }
    case 'result': {
      const isError = json.is_error === true
      const cost = typeof json.total_cost_usd === 'number' ? ` · $${json.total_cost_usd.toFixed(4)}` : ''
      const secs = typeof json.duration_ms === 'number' ? ` · ${(json.duration_ms / 1000).toFixed(1)} s` : ''
      const text = typeof json.result === 'string' && json.result ? json.result : isError ? 'The turn ended with an error.' : 'Turn finished.'
      return [{ kind: 'result', seq, text: `${text}${secs}${cost}`, isError }]
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

export function parseLines(lines: readonly OutputLine[]): OutputItem[] {
  const out: OutputItem[] = []
  for (const line of lines) {
    let items = parsed.get(line)
    if (!items) parsed.set(line, (items = parseLine(line)))
    for (const item of items) out.push(item)
  }
  return out
}
