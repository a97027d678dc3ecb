// Secrets (API keys, tool keys, OAuth codes, tokens) must never reach a log line or task output.
// Two nets: exact values registered at run time, and patterns for secrets we have never seen.

const MASK = '[REDACTED]'

/** Field names whose values are always secret, whatever they hold. */
const SECRET_FIELD = /^(api[_-]?key|apikey|tool[_-]?key|token|access[_-]?token|refresh[_-]?token|oauth[_-]?token|secret|password|authorization|auth[_-]?code|code|key)$/i
/** …and names that end like one: environment variables (ANTHROPIC_API_KEY, GH_TOKEN) and camelCase
 * fields (serverApiKey, githubToken). */
const SECRET_FIELD_END = /(?:^|[_-])(?:api[_-]?key|apikey|token|secret|password)$/i
const SECRET_FIELD_CAMEL = /[a-z0-9](?:ApiKey|Apikey|Token|Secret|Password)$/

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name) || SECRET_FIELD_END.test(name) || SECRET_FIELD_CAMEL.test(name)
}

const PATTERNS: RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic API keys and OAuth tokens
  /(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(gh[pousr]_[A-Za-z0-9]{20,})\b/g, // GitHub tokens
  /\bAUTH_CODE:\s*\S+/g, // login codes relayed through send-message
  /([?&](?:code|token|access_token|refresh_token|api_key|apikey|api-key|key|password|secret|client_secret)=)[^&\s"']+/gi,
  // The password (or token) part of credentials in a URL: https://user:TOKEN@host
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#@]+(?=@)/gi,
  /((?:MAKIMA_API_KEY|MAKIMA_DAEMON_SERVER_APIKEY|ANTHROPIC_API_KEY|CLAUDE_CODE_OAUTH_TOKEN|GITHUB_TOKEN|GH_TOKEN)\s*[=:]\s*)["']?[^\s"',]+/g,
  /("(?:apiKey|api_key|toolKey|tool_key|token|accessToken|refreshToken|authorization|code|key|secret|password)"\s*:\s*")[^"]+/gi,
]

/**
 * Where any of PATTERNS could match (a looser test: case-insensitive, prefixes only). Agent output
 * runs through here line by line; a line without one of these — nearly every line — is done after
 * this one scan instead of eight.
 */
const MAY_HOLD_SECRET = new RegExp(
  [
    'sk-ant-',
    '(?:bearer|basic)\\s',
    'gh[pousr]_',
    'auth_code:',
    '[?&](?:code|token|access_token|refresh_token|api_key|apikey|api-key|key|password|secret|client_secret)=',
    ':\\/\\/[^\\s/?#@:]*:[^\\s/?#@]+@',
    'makima_api_key|makima_daemon_server_apikey|anthropic_api_key|claude_code_oauth_token|github_token|gh_token',
    '"(?:apikey|api_key|toolkey|tool_key|token|accesstoken|refreshtoken|authorization|code|key|secret|password)"\\s*:',
  ].join('|'),
  'i',
)

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export class Redactor {
  private readonly secrets = new Set<string>()
  /** Every registered secret in one pattern (longest first), rebuilt after a change. */
  private secretPattern: RegExp | null = null

  /** Remember a secret value so that it is masked wherever it appears. Short values are ignored
   * (masking "ab" everywhere would destroy logs and protect nothing). */
  addSecret(value: string | undefined | null): void {
    if (value && value.length >= 6 && !this.secrets.has(value)) {
      this.secrets.add(value)
      this.secretPattern = null
    }
  }

  removeSecret(value: string): void {
    if (this.secrets.delete(value)) this.secretPattern = null
  }

  redactText(text: string): string {
    let out = text
    if (this.secrets.size > 0) {
      // One scan for all of them (a hundred tasks' tool keys), not one `includes` each.
      this.secretPattern ??= new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g')
      out = out.replace(this.secretPattern, MASK)
    }
    if (!MAY_HOLD_SECRET.test(out)) return out
    for (const pattern of PATTERNS) {
      out = out.replace(pattern, (match, prefix: unknown) =>
        typeof prefix === 'string' && match.startsWith(prefix) && prefix.length < match.length
          ? `${prefix}${MASK}`
          : MASK,
      )
    }
    return out
  }

  /** Deep copy of a structured value with secret fields and secret text masked. */
  redactValue(value: unknown, depth = 0): unknown {
    if (depth > 8) return '[…]'
    if (typeof value === 'string') return this.redactText(value)
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1))
    if (value instanceof Error) {
      return { name: value.name, message: this.redactText(value.message) }
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) {
        out[k] = isSecretField(k) && typeof v === 'string' && v !== '' ? MASK : this.redactValue(v, depth + 1)
      }
      return out
    }
    return value
  }
}
