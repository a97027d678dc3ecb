// Classifies one agent output line by its stream-json `type`. The line itself is never changed:
// classification only decides the stored `kind` and hands the parsed object to whoever needs it.

export const LINE_KINDS = ['system', 'assistant', 'user', 'result', 'stream_event', 'json', 'text', 'stderr', 'notice'] as const
export type LineKind = (typeof LINE_KINDS)[number]

export type OutputStream = 'stdout' | 'stderr'

export interface ClassifiedLine {
  kind: LineKind
  /** Exactly the text the agent printed (a truncated line is cut, never rewritten). */
  text: string
  stream: OutputStream
  /** The parsed object for JSON lines. */
  json?: Record<string, unknown>
  /** `subtype` of system/result lines, when present. */
  subtype?: string
}

const TYPED: ReadonlySet<string> = new Set(['system', 'assistant', 'user', 'result', 'stream_event'])

export function classifyLine(text: string, stream: OutputStream): ClassifiedLine {
  if (stream === 'stderr') return { kind: 'stderr', text, stream }
  const json = parseObject(text)
  if (!json) return { kind: 'text', text, stream }
  const type = typeof json.type === 'string' ? json.type : ''
  const subtype = typeof json.subtype === 'string' ? json.subtype : undefined
  const kind: LineKind = TYPED.has(type) ? (type as LineKind) : 'json'
  return subtype === undefined ? { kind, text, stream, json } : { kind, text, stream, json, subtype }
}

/** A line of our own (status, warnings) shown in the task output. */
export function noticeLine(text: string): ClassifiedLine {
  return { kind: 'notice', text, stream: 'stdout' }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  // Cheap pre-check: stream-json lines are objects; skip JSON.parse for plain text.
  let i = 0
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++
  if (text.charCodeAt(i) !== 0x7b /* { */) return undefined
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
