// Probe (not part of `npm run bench`): redaction throughput on agent-like output lines, the
// redactor against the eight patterns applied one after another (the old way), with 100 tool keys
// registered as a 100-task core has. Prints one JSON line. `npx tsx test/bench/probes/redaction.ts`
import { randomBytes } from 'node:crypto'
import { Redactor } from '../../../src-main/core/log/redact'

const MASK = '[REDACTED]'
const OLD: RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(gh[pousr]_[A-Za-z0-9]{20,})\b/g,
  /\bAUTH_CODE:\s*\S+/g,
  /([?&](?:code|token|access_token|refresh_token|api_key|apikey|api-key|key|password|secret|client_secret)=)[^&\s"']+/gi,
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#@]+(?=@)/gi,
  /((?:MAKIMA_API_KEY|MAKIMA_DAEMON_SERVER_APIKEY|ANTHROPIC_API_KEY|CLAUDE_CODE_OAUTH_TOKEN|GITHUB_TOKEN|GH_TOKEN)\s*[=:]\s*)["']?[^\s"',]+/g,
  /("(?:apiKey|api_key|toolKey|tool_key|token|accessToken|refreshToken|authorization|code|key|secret|password)"\s*:\s*")[^"]+/gi,
]
function oldRedact(text: string, secrets: string[]): string {
  let out = text
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK)
  for (const p of OLD) out = out.replace(p, (m, prefix: unknown) => (typeof prefix === 'string' && m.startsWith(prefix) && prefix.length < m.length ? `${prefix}${MASK}` : MASK))
  return out
}

const keys = Array.from({ length: 100 }, () => randomBytes(32).toString('hex'))
const r = new Redactor()
for (const k of keys) r.addSecret(k)
// 400-byte stream-json lines, as the P2 measure uses.
const lines = Array.from({ length: 1000 }, (_, i) => {
  const text = `step ${i}: reading src/module-${i % 37}.ts and editing the function body `.repeat(8)
  return JSON.stringify({ type: 'assistant', message: { id: `msg_${i}`, content: [{ type: 'text', text }] } }).slice(0, 400)
})

function rate(fn: (l: string) => string): number {
  for (const l of lines) fn(l) // warm-up
  const rounds = 100
  const t0 = process.hrtime.bigint()
  for (let k = 0; k < rounds; k++) for (const l of lines) fn(l)
  const s = Number(process.hrtime.bigint() - t0) / 1e9
  return Math.round((rounds * lines.length) / s)
}
const runs = Array.from({ length: 5 }, () => ({ old: rate((l) => oldRedact(l, keys)), now: rate((l) => r.redactText(l)) }))
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const old = median(runs.map((x) => x.old))
const now = median(runs.map((x) => x.now))
console.log(JSON.stringify({ probe: 'redaction', linesPerSec: { old, now }, speedup: +(now / old).toFixed(2), secretsRegistered: keys.length }))
