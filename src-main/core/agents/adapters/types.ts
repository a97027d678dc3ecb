// The agent adapter interface: everything that differs between agent CLIs (argv, environment, how
// the prompt and follow-ups get in, resume, how a printed line reads as common events, how an auth
// failure looks and how to sign in, what the agent cannot do). Everything above this layer — run
// loop, completion gate, circuit breaker, auth prompt, usage — reads only AgentEvent.
// See shared/agent-protocols.md §4 for the event model this follows.
import type { AuthErrorMatch } from '../../auth/detect'
import type { ClassifiedLine } from '../classify'

import { AGENT_NAMES, type AgentName } from '../../../../src-preload/contract'

// The names live in the bridge contract (the renderer picks one); the core reads them from there.
export { AGENT_NAMES, type AgentName }

export type ErrorCategory = 'auth' | 'rate_limit' | 'quota' | 'max_turns' | 'config' | 'api' | 'no_session' | 'unknown'

/** One thing an agent reported, in the same shape whatever the agent. */
export type AgentEvent =
  | { kind: 'session_started'; sessionId: string; model?: string; cwd?: string }
  /** The agent's own words. `subagent`: said by a sub-agent (never the task's declaration);
   * `delta`: a piece of a message that streams in parts (Gemini), continuing the previous text. */
  | { kind: 'text'; text: string; messageId?: string; subagent?: boolean; delta?: boolean }
  | { kind: 'thinking'; text: string }
  | { kind: 'tool_call'; callId: string; name: string; input: unknown }
  | { kind: 'tool_result'; callId: string; ok: boolean; output?: string }
  | { kind: 'file_change'; path: string; change: 'add' | 'update' | 'delete' }
  /** Token counts — of one turn ('turn'), or of the whole session so far ('session', Codex) — and
   * the cost when the agent reports one (Claude's is cumulative over its process). */
  | { kind: 'usage'; input: number; output: number; cachedInput?: number; costUsd?: number; scope: 'turn' | 'session' }
  /** The CLI is retrying a failed API call by itself; status is the HTTP status when known. */
  | { kind: 'retry'; attempt: number; status: number | null; category: ErrorCategory; message?: string }
  /** `auth` is set for category 'auth' (the sign-in prompt needs its reason and message). */
  | { kind: 'error'; category: ErrorCategory; message: string; fatal: boolean; auth?: AuthErrorMatch }
  /** The end of a turn. ok is the agent's own verdict; the exit code is judged separately. */
  | { kind: 'turn_completed'; ok: boolean; resultText?: string; numTurns?: number; durationMs?: number; queuedTurns: number }

export type AgentEventKind = AgentEvent['kind']

/** How a user signs in to this agent: a login flow we can drive, or an API key in the environment. */
export type SignIn =
  | { kind: 'setup-token' }
  | { kind: 'api-key'; envVar: string; hint: string }
  /** Credentials the agent keeps per provider: only what to do can be said. */
  | { kind: 'hint'; hint: string }

export interface AgentCapabilities {
  /** Messages may be written while a turn runs (stdin stream); otherwise they wait for the next run. */
  midTurnMessages: boolean
  /** A system prompt flag exists; otherwise the mode prompt is put before the first message. */
  systemPromptFlag: boolean
}

export interface AdapterLaunch {
  /** The agent's command, e.g. "claude" (config: process.claude_command, agent.<name>.command). */
  command: string
  /** Placed right after the command (e.g. `npx` + ["claude"]). */
  preArgs?: readonly string[]
  /** Appended last (config: process.claude_args, agent.<name>.args). */
  extraArgs?: readonly string[]
  /** When false (the default), the agent runs without permission prompts (yolo / bypass). */
  enablePermissions?: boolean
  /** Claude only: omits --verbose (the CLI then refuses stream-json; kept for parity with the original). */
  disableVerbose?: boolean
  /** The mode prompt (subtask / orchestrator / supervisor). */
  systemPrompt?: string
  /** append (default) keeps the agent's own tool instructions; replace swaps them out. */
  systemPromptMode?: 'append' | 'replace'
  /** Resume this stored session (Claude: `--resume <id>`, never `--continue`). */
  resumeSessionId?: string
  /** The first user message of this run. */
  prompt: string
}

/** How input reaches the agent: a stdin stream of user lines, or the prompt in argv (stdin at EOF). */
export type InputMode = { kind: 'stream'; userLine: (text: string) => string } | { kind: 'argv' }

export interface LaunchPlan {
  command: string
  args: string[]
  input: InputMode
}

export interface AgentAdapter {
  readonly name: AgentName
  readonly displayName: string
  readonly capabilities: AgentCapabilities
  readonly signIn: SignIn
  /** Shown when the binary cannot be found. */
  readonly installHint: string
  readonly defaultCommand: string
  plan(o: AdapterLaunch): LaunchPlan
  /** The agent's environment from the merged base (e.g. IS_SANDBOX for Claude as root). */
  env(base: Record<string, string>, o: { enablePermissions?: boolean; uid?: number }): Record<string, string>
  /** Where the agent keeps sessions and settings: writable inside the bubblewrap sandbox. */
  configPaths(env: Record<string, string | undefined>): string[]
  /** A fresh parser per process: some dialects need state (deltas, pending tool calls). */
  parser(): (line: ClassifiedLine) => AgentEvent[]
  parseVersion(output: string): string | undefined
}

export const isAgentName = (v: unknown): v is AgentName => typeof v === 'string' && (AGENT_NAMES as readonly string[]).includes(v)
