// Turns output lines into items a person can read. The core has already read every agent line into
// common transcript events (the same for Claude, Codex and Gemini); this only lays them out.
// Pure: tested without a browser.
import type { OutputLine, TranscriptEvent, TurnUsage } from '../../../../src-preload/contract'

export type { TurnUsage }

export type OutputItem =
  /** `delta`: continues the text before it (a message streamed in pieces). */
  | { kind: 'text'; seq: number; role: 'assistant'; text: string; delta?: true }
  | { kind: 'tool-call'; seq: number; name: string; summary: string }
  | { kind: 'tool-result'; seq: number; text: string; isError: boolean }
  | { kind: 'file-change'; seq: number; path: string; change: 'add' | 'update' | 'delete' }
  | { kind: 'session'; seq: number; text: string }
  | { kind: 'you'; seq: number; text: string }
  | { kind: 'qa'; seq: number; question: string; answer: string }
  | { kind: 'result'; seq: number; text: string; isError: boolean; usage: TurnUsage }
  | { kind: 'error'; seq: number; text: string }
  | { kind: 'stderr'; seq: number; text: string }
  | { kind: 'notice'; seq: number; text: string }
  | { kind: 'raw'; seq: number; text: string }

const NO_USAGE: TurnUsage = { durationMs: null, costUsd: null, inputTokens: null, outputTokens: null, cumulative: false }

/** "1.5 s · $0.0123 · 30 in / 5 out tokens" — only the parts that are known. */
export function formatUsage(u: TurnUsage): string {
  const parts: string[] = []
  if (u.durationMs !== null) parts.push(`${(u.durationMs / 1000).toFixed(1)} s`)
  if (u.costUsd !== null) parts.push(`$${u.costUsd.toFixed(4)}`)
  if (u.inputTokens !== null || u.outputTokens !== null) parts.push(`${(u.inputTokens ?? 0).toLocaleString('en')} in / ${(u.outputTokens ?? 0).toLocaleString('en')} out tokens`)
  return parts.join(' · ')
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s)

function itemOf(seq: number, e: TranscriptEvent): OutputItem {
  switch (e.kind) {
    case 'session':
      return { kind: 'session', seq, text: ['Session started', e.model ?? 'model', ...(e.cwd ? [e.cwd] : [])].join(' · ') }
    case 'text':
      return e.delta ? { kind: 'text', seq, role: 'assistant', text: e.text, delta: true } : { kind: 'text', seq, role: 'assistant', text: e.text }
    case 'tool-call':
      return { kind: 'tool-call', seq, name: e.name, summary: e.summary }
    case 'tool-result':
      return { kind: 'tool-result', seq, text: e.text, isError: !e.ok }
    case 'file-change':
      return { kind: 'file-change', seq, path: e.path, change: e.change }
    case 'qa':
      return { kind: 'qa', seq, question: e.question, answer: e.answer }
    case 'you':
      return { kind: 'you', seq, text: e.text }
    case 'notice':
      return { kind: 'notice', seq, text: e.text }
    case 'error':
      return { kind: 'error', seq, text: e.text }
    case 'result':
      return { kind: 'result', seq, text: e.text || (e.ok ? 'Turn finished.' : 'The turn ended with an error.'), isError: !e.ok, usage: e.usage ?? NO_USAGE }
  }
}

export function parseLine(line: OutputLine): OutputItem[] {
  const { seq, kind, data } = line
  if (kind === 'stderr') return [{ kind: 'stderr', seq, text: data }]
  if (kind === 'notice') return [{ kind: 'notice', seq, text: data }]
  // A line the core could not read as the agent's JSON is shown as printed.
  if (!line.events) return [{ kind: 'raw', seq, text: clip(data, 2000) }]
  return line.events.map((e) => itemOf(seq, e))
}

/** Lines are immutable and keep their identity in the store's window: each is laid out once. */
const parsed = new WeakMap<OutputLine, OutputItem[]>()

/**
 * The whole window in order. A result that repeats the turn's last assistant text keeps only its
 * usage; streamed text pieces join the text before them; usage counted for the whole session
 * (Codex) is shown per turn as the difference from the turn before.
 */
export function parseLines(lines: readonly OutputLine[]): OutputItem[] {
  const out: OutputItem[] = []
  let lastAssistant: string | null = null
  let sessionBefore: TurnUsage | null = null
  for (const line of lines) {
    let items = parsed.get(line)
    if (!items) parsed.set(line, (items = parseLine(line)))
    for (const item of items) {
      const prev = out.at(-1)
      if (item.kind === 'text' && item.delta && prev?.kind === 'text') {
        out[out.length - 1] = { ...prev, text: prev.text + item.text }
        lastAssistant = prev.text + item.text
        continue
      }
      if (item.kind === 'text') lastAssistant = item.text
      let shown = item
      if (item.kind === 'result' && item.usage.cumulative) {
        shown = { ...item, usage: perTurn(item.usage, sessionBefore) }
        sessionBefore = item.usage
      }
      if (shown.kind === 'result' && !shown.isError && lastAssistant !== null && shown.text.trim() === lastAssistant.trim()) out.push({ ...shown, text: 'Turn finished.' })
      else out.push(shown)
      if (item.kind === 'result' || item.kind === 'you') lastAssistant = null
    }
  }
  return out
}

function perTurn(now: TurnUsage, before: TurnUsage | null): TurnUsage {
  if (!before) return now
  const minus = (a: number | null, b: number | null) => (a === null ? null : Math.max(0, a - (b ?? 0)))
  return { ...now, inputTokens: minus(now.inputTokens, before.inputTokens), outputTokens: minus(now.outputTokens, before.outputTokens) }
}

/** The usage of every turn in `items`, summed: the task's running total. */
export function totalUsage(items: readonly OutputItem[]): { turns: number; usage: TurnUsage } {
  const sum = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b)
  let usage: TurnUsage = NO_USAGE
  let turns = 0
  for (const i of items) {
    if (i.kind !== 'result') continue
    turns++
    usage = { ...usage, durationMs: sum(usage.durationMs, i.usage.durationMs), costUsd: sum(usage.costUsd, i.usage.costUsd), inputTokens: sum(usage.inputTokens, i.usage.inputTokens), outputTokens: sum(usage.outputTokens, i.usage.outputTokens) }
  }
  return { turns, usage }
}
