// OpenCode: `opencode run --format json [--session <id>] [--auto] -- <message>`, stdin at EOF (piped
// stdin would be appended to the message); a follow-up is a new process continuing the session.
// Output is JSONL, every line with `sessionID`: step_start, text, tool_use (a finished call with
// its input and output), step_finish (reason, tokens, cost), error. See shared/agent-protocols.md §3.3.
import { join } from 'node:path'
import type { ClassifiedLine } from '../classify'
import type { AgentAdapter, AgentEvent, ErrorCategory } from './types'
import { parseSemver } from './version'

type Json = Record<string, unknown>
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

export const opencodeAdapter: AgentAdapter = {
  name: 'opencode',
  displayName: 'OpenCode',
  defaultCommand: 'opencode',
  installHint: 'install OpenCode: npm install -g opencode-ai',
  capabilities: { midTurnMessages: false, systemPromptFlag: false },
  // Its providers each read their own key; `opencode auth login` stores one.
  signIn: { kind: 'hint', hint: "run 'opencode auth login' on its machine, or set the model provider's API key for the daemon" },
  plan(o) {
    const args = [...(o.preArgs ?? []), 'run', '--format', 'json']
    if (!o.enablePermissions) args.push('--auto')
    if (o.resumeSessionId) args.push('--session', o.resumeSessionId)
    args.push(...(o.extraArgs ?? []))
    // No system prompt flag: the mode prompt leads the first message of a session.
    const prompt = o.systemPrompt && !o.resumeSessionId ? `${o.systemPrompt}\n\n${o.prompt}` : o.prompt
    // `--` so a message starting with '-' is never read as a flag.
    args.push('--', prompt)
    return { command: o.command, args, input: { kind: 'argv' } }
  },
  env: (base) => ({ ...base }),
  // Sessions and auth under the XDG data dir, settings under the XDG config dir, and its cache.
  configPaths: (env) => {
    const home = env.HOME
    const xdg = (v: string | undefined, fallback: string) => (v ? join(v, 'opencode') : home ? join(home, fallback, 'opencode') : null)
    return [xdg(env.XDG_DATA_HOME, '.local/share'), xdg(env.XDG_CONFIG_HOME, '.config'), xdg(env.XDG_CACHE_HOME, '.cache'), xdg(env.XDG_STATE_HOME, '.local/state')].filter((p): p is string => p !== null)
  },
  parser: opencodeParser,
  parseVersion: parseSemver,
}

/** The session id comes on every line (announced once); a turn's steps are summed into one usage. */
function opencodeParser(): (line: ClassifiedLine) => AgentEvent[] {
  let session: string | null = null
  let turn = { input: 0, output: 0, cached: 0, cost: 0 }
  return (line) => {
    const j = line.json
    if (!j || line.stream !== 'stdout') return []
    const out: AgentEvent[] = []
    const sid = str(j.sessionID)
    if (sid && sid !== session) {
      session = sid
      out.push({ kind: 'session_started', sessionId: sid })
    }
    const part = isRecord(j.part) ? j.part : {}
    switch (j.type) {
      case 'text':
        if (typeof part.text === 'string') out.push({ kind: 'text', text: part.text, ...(str(part.messageID) ? { messageId: str(part.messageID)! } : {}) })
        break
      case 'reasoning':
        if (typeof part.text === 'string') out.push({ kind: 'thinking', text: part.text })
        break
      case 'tool_use':
        out.push(...toolEvents(part))
        break
      case 'step_finish': {
        const t = isRecord(part.tokens) ? part.tokens : {}
        const cache = isRecord(t.cache) ? t.cache : {}
        turn = { input: turn.input + num(t.input), output: turn.output + num(t.output), cached: turn.cached + num(cache.read), cost: turn.cost + num(part.cost) }
        if (part.reason !== 'tool-calls') {
          out.push({ kind: 'usage', scope: 'turn', input: turn.input, output: turn.output, cachedInput: turn.cached, costUsd: turn.cost })
          out.push({ kind: 'turn_completed', ok: true, queuedTurns: 0 })
          turn = { input: 0, output: 0, cached: 0, cost: 0 }
        }
        break
      }
      case 'error': {
        const e = isRecord(j.error) ? j.error : {}
        const data = isRecord(e.data) ? e.data : {}
        const message = str(data.message) ?? str(e.name) ?? 'error'
        const category = categoryOf(message, str(e.name))
        out.push(category === 'auth' ? { kind: 'error', category, message, fatal: true, auth: { reason: 'invalid-credentials', message, via: 'text' } } : { kind: 'error', category, message, fatal: true })
        out.push({ kind: 'turn_completed', ok: false, queuedTurns: 0 })
        break
      }
    }
    return out
  }
}

/** One finished call: its input, its output, and the file it wrote when it is an editing tool. */
function toolEvents(part: Json): AgentEvent[] {
  const state = isRecord(part.state) ? part.state : {}
  const callId = str(part.callID) ?? ''
  const name = str(part.tool) ?? 'tool'
  const out: AgentEvent[] = [{ kind: 'tool_call', callId, name, input: state.input }]
  const input = isRecord(state.input) ? state.input : {}
  const path = str(input.filePath) ?? str(input.file_path)
  if (path && (name === 'write' || name === 'edit')) out.push({ kind: 'file_change', path, change: name === 'write' ? 'add' : 'update' })
  // GPT models edit through apply_patch: the files are named in the patch's headers.
  if (name === 'apply_patch' && state.status === 'completed' && typeof input.patchText === 'string') out.push(...patchChanges(input.patchText))
  if (state.status === 'completed' || state.status === 'error') {
    const output = state.status === 'error' ? str(state.error) : str(state.output)
    out.push({ kind: 'tool_result', callId, ok: state.status === 'completed', ...(output !== undefined ? { output } : {}) })
  }
  return out
}

const PATCH_HEADER = /^\*\*\* (Add|Update|Delete) File: (.+)$/gm

function patchChanges(patch: string): AgentEvent[] {
  const kinds = { Add: 'add', Update: 'update', Delete: 'delete' } as const
  return [...patch.matchAll(PATCH_HEADER)].map((m) => ({ kind: 'file_change', path: m[2]!.trim(), change: kinds[m[1] as keyof typeof kinds] }))
}

function categoryOf(message: string, name: string | undefined): ErrorCategory {
  if (/\b401\b|Incorrect API key|invalid_api_key|Unauthorized|API key/i.test(message) || name === 'ProviderAuthError') return 'auth'
  if (/\b429\b|rate limit|quota/i.test(message)) return 'rate_limit'
  return 'api'
}
