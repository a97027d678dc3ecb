// The redactor masks the same things as the eight patterns applied one after another, for every
// kind of secret — but a line with nothing secret-looking is cleared after one scan, and every
// registered secret is found in one scan instead of one search each.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Redactor } from '../../../../src-main/core/log/redact'

const MASK = '[REDACTED]'
// The patterns as the old redactor ran them, kept here as the reference behaviour.
const REFERENCE: RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(gh[pousr]_[A-Za-z0-9]{20,})\b/g,
  /\bAUTH_CODE:\s*\S+/g,
  /([?&](?:code|token|access_token|refresh_token|api_key|apikey|api-key|key|password|secret|client_secret)=)[^&\s"']+/gi,
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#@]+(?=@)/gi,
  /((?:MAKIMA_API_KEY|MAKIMA_DAEMON_SERVER_APIKEY|ANTHROPIC_API_KEY|CLAUDE_CODE_OAUTH_TOKEN|GITHUB_TOKEN|GH_TOKEN)\s*[=:]\s*)["']?[^\s"',]+/g,
  /("(?:apiKey|api_key|toolKey|tool_key|token|accessToken|refreshToken|authorization|code|key|secret|password)"\s*:\s*")[^"]+/gi,
]
function reference(text: string, secrets: string[]): string {
  let out = text
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK)
  for (const p of REFERENCE) {
    out = out.replace(p, (match, prefix: unknown) => (typeof prefix === 'string' && match.startsWith(prefix) && prefix.length < match.length ? `${prefix}${MASK}` : MASK))
  }
  return out
}

const KINDS: [string, string, string][] = [
  ['Anthropic key', 'key sk-ant-api03-abcdefghijkl done', `key ${MASK} done`],
  ['Bearer header', 'Authorization: Bearer abc.def-ghi_jkl', `Authorization: Bearer ${MASK}`],
  ['basic auth, any case', 'basic dXNlcjpwYXNzd29yZA==', `basic ${MASK}`],
  ['GitHub token', 'push with ghp_0123456789abcdefghijKLMN now', `push with ${MASK} now`],
  ['login code', 'AUTH_CODE: abc#def', MASK],
  ['query secret', 'GET /cb?state=1&code=s3cr3t&x=1', `GET /cb?state=1&code=${MASK}&x=1`],
  ['URL credentials', 'git clone https://user:tok3n@github.com/o/r', `git clone https://user:${MASK}@github.com/o/r`],
  ['environment value', 'ANTHROPIC_API_KEY="abc123456" rest', `ANTHROPIC_API_KEY=${MASK}" rest`],
  ['JSON field', '{"accessToken": "tok-123456", "x": 1}', `{"accessToken": "${MASK}", "x": 1}`],
]

describe('Redactor', () => {
  it.each(KINDS)('masks a %s', (_kind, text, expected) => {
    expect(new Redactor().redactText(text)).toBe(expected)
    expect(reference(text, [])).toBe(expected)
  })

  it('masks registered secrets, the longest first, with many registered', () => {
    const r = new Redactor()
    const keys = Array.from({ length: 100 }, () => randomBytes(32).toString('hex'))
    for (const k of keys) r.addSecret(k)
    r.addSecret('secret1')
    r.addSecret('login#secret1')
    r.addSecret('ab') // too short to be kept
    expect(r.redactText(`k=${keys[57]} and ${keys[3]}${keys[3]} login#secret1 secret1 ab`)).toBe(`k=${MASK} and ${MASK}${MASK} ${MASK} ${MASK} ab`)
    r.removeSecret(keys[57]!)
    expect(r.redactText(`k=${keys[57]}`)).toBe(`k=${keys[57]}`)
    r.addSecret('a.b*c(d)')
    expect(r.redactText('x a.b*c(d) aXb*c(d)')).toBe(`x ${MASK} aXb*c(d)`)
  })

  it('gives the reference result on a mixed corpus: plain agent lines, secrets of every kind, near misses', () => {
    const secrets = [randomBytes(32).toString('hex'), 'tool-key-123456']
    const r = new Redactor()
    for (const s of secrets) r.addSecret(s)
    const pieces = [
      ...KINDS.map(([, t]) => t), ...secrets, 'plain text', '{"type":"assistant","message":{"content":[{"type":"text","text":"hi"}]}}',
      'https://example.com/path?q=1', 'the basic idea', 'bearer', 'gh_', 'sk-ant-short', '"key" : "v"', '"Key":"x"', 'GH_TOKEN: abc',
      'mailto:me@example.com', 'ftp://a:b@c', '?token=', 'Basic\tabcdefghij', 'a://x:y@', '"code":1',
    ]
    let seed = 7
    const pick = () => pieces[(seed = (seed * 1103515245 + 12345) & 0x7fffffff) % pieces.length]!
    for (let i = 0; i < 2000; i++) {
      const line = Array.from({ length: 1 + (i % 5) }, pick).join(i % 2 ? ' ' : '')
      expect(r.redactText(line)).toBe(reference(line, secrets))
    }
  })
})
