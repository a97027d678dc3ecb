// Claude Code specifics: the argv, the stdin message line, the version check, and reading the few
// lines that matter (system/init for the session id, result for the outcome). Everything else is
// forwarded as-is by the output pipeline. See shared/agent-protocols.md §1.
import type { ClassifiedLine } from '../classify'
import { claudeConfigPaths } from '../sandbox'
import { claudeEvents } from './claude-events'
import type { AdapterLaunch, AgentAdapter } from './types'
import { checkAgentVersion, type VersionCheck } from './version'

/** What `buildClaudeArgv` needs: every agent's launch settings but the prompt (sent on stdin). */
export type ClaudeLaunch = Omit<AdapterLaunch, 'prompt'>

export interface Argv {
  command: string
  args: string[]
}

export function buildClaudeArgv(o: ClaudeLaunch): Argv {
  const args = [...(o.preArgs ?? []), '-p', '--output-format', 'stream-json', '--input-format', 'stream-json']
  if (!o.disableVerbose) args.push('--verbose')
  if (!o.enablePermissions) args.push('--dangerously-skip-permissions')
  if (o.systemPrompt !== undefined && o.systemPrompt !== '') {
    args.push(o.systemPromptMode === 'replace' ? '--system-prompt' : '--append-system-prompt', o.systemPrompt)
  }
  if (o.resumeSessionId) args.push('--resume', o.resumeSessionId)
  args.push(...(o.extraArgs ?? []))
  return { command: o.command, args }
}

/** The exact stdin line the Claude Agent SDK writes for a user prompt (§1.4), newline included. */
export function userMessageLine(text: string): string {
  return (
    JSON.stringify({
      type: 'user',
      session_id: '',
      message: { role: 'user', content: [{ type: 'text', text }] },
      parent_tool_use_id: null,
    }) + '\n'
  )
}

export interface AgentEnvResult {
  env: Record<string, string>
  /** True when IS_SANDBOX=1 was added because we run as root with permissions off; log it. */
  rootSandboxFlag: boolean
}

/**
 * The agent's environment. As root, Claude Code refuses --dangerously-skip-permissions unless
 * IS_SANDBOX=1 is set, so it is added when permissions are off (the caller logs that it did).
 */
export function claudeAgentEnv(base: Record<string, string>, o: { enablePermissions?: boolean; uid?: number }): AgentEnvResult {
  const uid = o.uid ?? (typeof process.getuid === 'function' ? process.getuid() : -1)
  const env = { ...base }
  const rootSandboxFlag = uid === 0 && !o.enablePermissions && env.IS_SANDBOX !== '1'
  if (rootSandboxFlag) env.IS_SANDBOX = '1'
  return { env, rootSandboxFlag }
}

export type { VersionCheck } from './version'

/** `2.1.331 (Claude Code)` → `2.1.331`. */
export function parseClaudeVersion(output: string): string | undefined {
  return /(\d+\.\d+\.\d+(?:[-+][\w.]+)?)/.exec(output)?.[1]
}

/** Runs `<command> <pre-args> --version` (no shell) and reports readiness or why it is not ready. */
export function checkClaudeVersion(
  o: { command: string; preArgs?: readonly string[]; env?: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<VersionCheck> {
  return checkAgentVersion({ displayName: 'Claude Code', parseVersion: parseClaudeVersion }, o)
}

/** The session id announced by `system/init` (every line carries it; init is the reliable one). */
export function sessionIdFromLine(line: ClassifiedLine): string | undefined {
  if (line.kind !== 'system' || line.subtype !== 'init') return undefined
  const id = line.json?.session_id
  return typeof id === 'string' && id !== '' ? id : undefined
}

export interface ClaudeResult {
  /** Success means is_error === false (a 401 comes back as subtype "success" with is_error true). */
  ok: boolean
  subtype: string
  isError: boolean
  apiErrorStatus: number | null
  /** `result` text (success shapes) or the joined `errors` (error shapes). */
  text: string
  errors: string[]
  sessionId?: string
  terminalReason?: string
  numTurns?: number
  totalCostUsd?: number
  durationMs?: number
  /** More results follow (messages were queued during the turn). */
  queuedTurns: number
}

export function parseResult(line: ClassifiedLine): ClaudeResult | undefined {
  if (line.kind !== 'result' || !line.json) return undefined
  const j = line.json
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
  const errors = Array.isArray(j.errors) ? j.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : []
  const isError = j.is_error === true || (j.is_error === undefined && str(j.subtype)?.startsWith('error') === true)
  return {
    ok: !isError,
    subtype: str(j.subtype) ?? 'unknown',
    isError,
    apiErrorStatus: num(j.api_error_status) ?? null,
    text: str(j.result) ?? errors.join('\n'),
    errors,
    sessionId: str(j.session_id),
    terminalReason: str(j.terminal_reason),
    numTurns: num(j.num_turns),
    totalCostUsd: num(j.total_cost_usd),
    durationMs: num(j.duration_ms),
    queuedTurns: num(j.queued_turn_count) ?? 0,
  }
}

const NO_CONVERSATION = /No conversation found (?:with session ID|to continue)/

/**
 * True for the "unknown --resume id" outcome: stderr `No conversation found with session ID: …`
 * or an error result carrying that text. The caller falls back to a fresh session with the plan.
 */
export function isNoConversationFound(line: ClassifiedLine): boolean {
  if (line.kind === 'stderr' || line.kind === 'text') return NO_CONVERSATION.test(line.text)
  if (line.kind === 'result') {
    const r = parseResult(line)
    return r !== undefined && r.isError && (NO_CONVERSATION.test(r.text) || r.errors.some((e) => NO_CONVERSATION.test(e)))
  }
  return false
}

/** Claude Code as an AgentAdapter: stdin stream-json in, stream-json out, `setup-token` login. */
export const claudeAdapter: AgentAdapter = {
  name: 'claude',
  displayName: 'Claude Code',
  defaultCommand: 'claude',
  installHint: 'install Claude Code: npm install -g @anthropic-ai/claude-code (or see https://docs.anthropic.com/en/docs/claude-code)',
  capabilities: { midTurnMessages: true, systemPromptFlag: true },
  signIn: { kind: 'setup-token' },
  plan: (o) => ({ ...buildClaudeArgv({ ...o, resumeSessionId: o.resumeSessionId }), input: { kind: 'stream', userLine: userMessageLine } }),
  env: (base, o) => claudeAgentEnv(base, o).env,
  configPaths: (env) => claudeConfigPaths(env),
  parser: () => claudeEvents,
  parseVersion: parseClaudeVersion,
}
