// Auth-error detection on an agent's output. Claude Code reports a missing or rejected login on
// stdout as JSON, not on `system` lines: a synthetic `assistant` line with
// `error: "authentication_failed"`, then an error `result` (`is_error: true`, sometimes
// `api_error_status: 401`). Text patterns are a fallback for stderr, non-JSON stdout and `system`
// lines. Conversation (assistant text without `error`, tool results) never counts, so an agent that
// merely talks about "/login" does not trigger a login.

export type AuthErrorReason = 'not-logged-in' | 'token-expired' | 'invalid-credentials' | 'unauthorized'

export interface AuthErrorMatch {
  reason: AuthErrorReason
  /** The CLI's own message, for the UI; never contains a secret we know of. */
  message: string
  /** Which rule fired, for logs and tests. */
  via: 'assistant-error' | 'result-status' | 'result-text' | 'auth-status' | 'text' | 'api-retry'
}

/** One line of agent output as the agent layer classifies it. `json` is the parsed stream-json
 * object when the line was JSON; leave it undefined and it is parsed here if it looks like JSON. */
export interface AuthCheckLine {
  stream: 'stdout' | 'stderr'
  text: string
  json?: unknown
}

const AUTH_ASSISTANT_ERRORS = new Set(['authentication_failed'])

export function detectAuthError(line: AuthCheckLine): AuthErrorMatch | null {
  if (line.stream === 'stderr') return matchText(line.text)
  const json = line.json !== undefined ? line.json : tryParse(line.text)
  if (!isRecord(json)) return matchText(line.text)
  switch (json.type) {
    case 'assistant': {
      if (typeof json.error !== 'string' || !AUTH_ASSISTANT_ERRORS.has(json.error)) return null
      const message = assistantText(json) || json.error
      return { reason: reasonFor(message), message, via: 'assistant-error' }
    }
    case 'result': {
      if (json.is_error !== true) return null
      const message = resultText(json)
      if (json.api_error_status === 401) return { reason: reasonFor(message), message, via: 'result-status' }
      // "Not logged in" comes back with api_error_status null; the text is the CLI's, not the model's.
      const byText = matchText(message)
      return byText ? { ...byText, via: 'result-text' } : null
    }
    case 'auth_status': {
      if (typeof json.error !== 'string' || !json.error) return null
      return { reason: reasonFor(json.error), message: json.error, via: 'auth-status' }
    }
    case 'user':
    case 'stream_event':
    case 'tool_progress':
    case 'tool_use_summary':
      return null // conversation and tool output: may quote anything
    case 'system':
      if (json.subtype === 'init' || json.subtype === 'api_retry') return null // a retry may still succeed
      return matchText(line.text)
    default:
      return null
  }
}

/** The original's text patterns, each a pair so that one phrase alone (which a log or an agent
 * might print) does not trigger; `authentication` alone was tightened to `authentication_error`. */
export function matchText(text: string): AuthErrorMatch | null {
  const has = (s: string) => text.includes(s)
  const hit =
    (has('Please run /login') && (has('authenticate') || has('Not logged in') || has('Invalid API key') || has('API Error: 401'))) ||
    (has('Invalid API key') && (has('ANTHROPIC_API_KEY') || has('Fix external API key'))) ||
    (has('authentication_error') && (has('OAuth token has expired') || has('Please obtain a new token'))) ||
    (has('"type":"error"') && has('"authentication_error"')) ||
    (has('Failed to authenticate') && has('API Error: 401'))
  if (!hit) return null
  const message = firstLine(text)
  return { reason: reasonFor(text), message, via: 'text' }
}

function reasonFor(text: string): AuthErrorReason {
  if (/Not logged in/i.test(text)) return 'not-logged-in'
  if (/token has expired|obtain a new token/i.test(text)) return 'token-expired'
  if (/Invalid API key|Invalid bearer token/i.test(text)) return 'invalid-credentials'
  return 'unauthorized'
}

/** Once per task run: the first auth error is reported, later ones (the `result` after the
 * `assistant` line, stderr echoes) are swallowed. Make one per run. */
export class AuthErrorWatch {
  private fired: AuthErrorMatch | null = null

  observe(line: AuthCheckLine): AuthErrorMatch | null {
    if (this.fired) return null
    const match = detectAuthError(line)
    if (match) this.fired = match
    return match
  }

  get detected(): AuthErrorMatch | null {
    return this.fired
  }
}

function tryParse(text: string): unknown {
  const t = text.trim()
  if (!t.startsWith('{')) return undefined
  try {
    return JSON.parse(t)
  } catch {
    return undefined
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function assistantText(json: Record<string, unknown>): string {
  const message = json.message
  if (!isRecord(message) || !Array.isArray(message.content)) return ''
  return message.content
    .filter((b): b is { type: 'text'; text: string } => isRecord(b) && b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text)
    .join('\n')
}

function resultText(json: Record<string, unknown>): string {
  if (typeof json.result === 'string') return json.result
  if (Array.isArray(json.errors)) return json.errors.filter((e) => typeof e === 'string').join('\n')
  return ''
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? ''
  return line.length > 500 ? `${line.slice(0, 500)}…` : line
}
