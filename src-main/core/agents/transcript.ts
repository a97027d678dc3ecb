// Stored output lines as the transcript shows them: each agent JSON line is read once, here, with
// the task's adapter, and crosses the bridge as common TranscriptEvents beside the line as printed.
// The renderer then draws the same conversation for every agent without knowing any CLI's JSON.
import type { OutputLine, TranscriptEvent, TurnUsage } from '../../../src-preload/contract'
import type { AgentAdapter, AgentEvent } from './adapters/types'
import { classifyLine } from './classify'

/** Longest tool result and tool summary sent (the transcript folds results; the line keeps all). */
const RESULT_CLIP = 4000
const SUMMARY_CLIP = 200

type Json = Record<string, unknown>
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s)

/** Lines the transcript shows as they are (no events). */
const PLAIN_KINDS: ReadonlySet<string> = new Set(['stderr', 'notice', 'text'])

/** The lines with their events; one parser for the batch (some dialects keep state across lines). */
export function withTranscript<L extends Omit<OutputLine, 'events'>>(adapter: AgentAdapter, lines: readonly (L & { parsed?: readonly AgentEvent[] })[]): (L & { events?: TranscriptEvent[] })[] {
  const parse = adapter.parser()
  return lines.map((l) => {
    if (l.parsed) {
      // Events the agent layer already read from this very text: not parsed twice, and not sent on.
      const { parsed, ...rest } = l
      return PLAIN_KINDS.has(l.kind) ? (rest as unknown as L) : { ...(rest as unknown as L), events: transcriptOf(parsed) }
    }
    if (PLAIN_KINDS.has(l.kind)) return l
    const line = classifyLine(l.data, 'stdout')
    if (!line.json) return l
    if (line.json.type === 'user' && line.json.origin === 'makima') return { ...l, events: userTurn(line.json) }
    return { ...l, events: transcriptOf(parse(line)) }
  })
}

function userTurn(j: Json): TranscriptEvent[] {
  const message = j.message as Json | undefined
  const content = Array.isArray(message?.content) ? (message.content as Json[]) : []
  return content.filter((b) => b && b.type === 'text' && typeof b.text === 'string').map((b) => ({ kind: 'you', text: b.text as string }))
}

/** Common agent events → what the transcript draws. A usage report joins the turn's result. */
export function transcriptOf(events: readonly AgentEvent[]): TranscriptEvent[] {
  const out: TranscriptEvent[] = []
  let usage: TurnUsage | null = null
  for (const ev of events) {
    switch (ev.kind) {
      case 'session_started':
        out.push({ kind: 'session', model: ev.model ?? null, cwd: ev.cwd ?? null })
        break
      case 'text':
        if (!ev.subagent && ev.text.trim()) out.push({ kind: 'text', text: ev.text, delta: ev.delta === true })
        break
      case 'tool_call':
        out.push({ kind: 'tool-call', name: ev.name || 'tool', summary: toolSummary(ev.input) })
        break
      case 'tool_result': {
        const text = ev.output ?? ''
        const qa = ev.ok ? answeredQuestion(text) : null
        out.push(qa ? { kind: 'qa', ...qa } : { kind: 'tool-result', ok: ev.ok, text: clip(text, RESULT_CLIP) })
        break
      }
      case 'file_change':
        out.push({ kind: 'file-change', path: ev.path, change: ev.change })
        break
      case 'retry':
        out.push({ kind: 'notice', text: 'The model API asked to retry…' })
        break
      case 'error':
        out.push(ev.fatal ? { kind: 'error', category: ev.category, text: ev.message } : { kind: 'notice', text: ev.message })
        break
      case 'usage': {
        const input = ev.input + (ev.cachedInput ?? 0)
        usage = { durationMs: null, costUsd: ev.costUsd ?? null, inputTokens: input, outputTokens: ev.output, cumulative: ev.scope === 'session' }
        break
      }
      case 'turn_completed': {
        const u: TurnUsage | null = usage || ev.durationMs !== undefined ? { ...(usage ?? { costUsd: null, inputTokens: null, outputTokens: null, cumulative: false }), durationMs: ev.durationMs ?? null } : null
        out.push({ kind: 'result', ok: ev.ok, text: ev.resultText ?? null, usage: u })
        usage = null
        break
      }
      case 'thinking':
        break
    }
  }
  return out
}

function toolSummary(input: unknown): string {
  if (!input || typeof input !== 'object') return ''
  const i = input as Json
  const pick = i.command ?? i.cmd ?? i.file_path ?? i.path ?? i.absolute_path ?? i.pattern ?? i.url ?? i.description
  if (typeof pick === 'string') return clip(pick, SUMMARY_CLIP)
  if (Array.isArray(pick)) return clip(pick.map(String).join(' '), SUMMARY_CLIP)
  return clip(JSON.stringify(input), SUMMARY_CLIP)
}

/** What `makima supervisor ask` printed once the user answered (the same for every agent's shell). */
function answeredQuestion(text: string): { question: string; answer: string } | null {
  if (!text.includes('"questionId"')) return null
  const start = text.indexOf('{')
  try {
    const v = JSON.parse(text.slice(start).trim()) as Json
    return v.answered === true && typeof v.question === 'string' && typeof v.answer === 'string' ? { question: v.question, answer: v.answer } : null
  } catch {
    return null
  }
}
