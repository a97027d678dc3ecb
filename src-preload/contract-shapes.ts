// The domain shapes that cross the bridge (tasks, output, merges, questions, contracts, sign-in,
// settings), as zod schemas plus inferred types; contract.ts builds the requests and events on them
// and re-exports all of it. Imports nothing but zod.
import { z } from 'zod'

// In a page (renderer, preload) our CSP forbids eval, so zod's JIT cannot run there; jitless also
// skips its `new Function('')` probe, which the CSP reports as a violation on every start. It must
// be set before the first schema is built: here, the first module of the contract to load.
if ('document' in globalThis) z.config({ jitless: true })

// ── Domain shapes that cross the bridge ─────────────────────────────────────────────────────────

export const TASK_STATES = ['pending', 'initializing', 'starting', 'running', 'paused', 'completed', 'failed', 'interrupted'] as const
export const TaskStateSchema = z.enum(TASK_STATES)
export type TaskState = z.infer<typeof TaskStateSchema>

export const TERMINAL_STATES: readonly TaskState[] = ['completed', 'failed', 'interrupted']
export const ACTIVE_STATES: readonly TaskState[] = ['initializing', 'starting', 'running', 'paused']

export const AGENT_NAMES = ['claude', 'codex', 'gemini', 'opencode'] as const
export const AgentNameSchema = z.enum(AGENT_NAMES)
export type AgentName = z.infer<typeof AgentNameSchema>
/** The JSON dialects we read; a custom agent (config agent.<name>.dialect) speaks one of them. */
export const AGENT_DIALECTS = AGENT_NAMES
/** A task's agent: a built-in name or a custom one from the config. */
export const AgentIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'an agent name: lowercase letters, digits and -')
export type AgentId = z.infer<typeof AgentIdSchema>
export const AgentInfoSchema = z.object({ name: AgentIdSchema, label: z.string(), dialect: AgentNameSchema, custom: z.boolean() })
export type AgentInfo = z.infer<typeof AgentInfoSchema>

export const TaskSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  state: TaskStateSchema,
  parentTaskId: z.string().nullable(),
  contractId: z.string().nullable(),
  isOrchestrator: z.boolean(),
  isSupervisor: z.boolean(),
  repoUrl: z.string().nullable(),
  worktreePath: z.string().nullable(),
  errorMessage: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The branch the task was merged into from the app (the "merged" badge). */
  mergedInto: z.string().nullable(),
  archivedAt: z.string().nullable(),
  /** The agent CLI running the task (a built-in name or a custom agent's). */
  agent: AgentIdSchema,
})
export type TaskSummary = z.infer<typeof TaskSummarySchema>

export const VersionInfoSchema = z.object({
  app: z.string(),
  node: z.string(),
  electron: z.string().nullable(),
  schemaVersion: z.number().int(),
  mode: z.enum(['electron', 'daemon']),
})
export type VersionInfo = z.infer<typeof VersionInfoSchema>

/**
 * Settings the user may change in the app (persisted in <data dir>/settings.toml and validated by
 * the core with the same rules as the config). A value set by a flag or the environment is locked.
 */
export const EDITABLE_SETTINGS = ['agent.default', 'agent.model', 'process.enable_permissions', 'process.max_concurrent_tasks', 'server.url', 'server.heartbeat_interval_secs', 'ui.theme'] as const
export const EditableSettingKeySchema = z.enum(EDITABLE_SETTINGS)
export type EditableSettingKey = z.infer<typeof EditableSettingKeySchema>
export const SettingValueSchema = z.union([z.string().max(4096), z.number(), z.boolean()])
export const EditableSettingSchema = z.object({
  key: EditableSettingKeySchema,
  /** The saved value (null: not set, e.g. no server URL). */
  value: SettingValueSchema.nullable(),
  /** Where it comes from, in words ("the default", "flag --max-tasks", …). */
  source: z.string(),
  /** Set by a flag or an environment variable: change it there. */
  locked: z.boolean(),
  /** When a change takes effect. */
  applies: z.enum(['now', 'restart']),
  /** Saved, but the running core still uses the old value until it restarts. */
  pendingRestart: z.boolean(),
  /** What is allowed, in words (the config's own description). */
  allowed: z.string(),
})
export type EditableSetting = z.infer<typeof EditableSettingSchema>
export const THEMES = ['dark', 'light', 'system'] as const
export type Theme = (typeof THEMES)[number]

/** The effective configuration as the user may see it (no secrets: only whether a key is set). */
export const SettingsViewSchema = z.object({
  dataDir: z.string(),
  dbPath: z.string(),
  logFile: z.string(),
  worktreesDir: z.string(),
  reposDir: z.string(),
  configFiles: z.array(z.string()),
  agentCommand: z.string(),
  maxConcurrentTasks: z.number().int(),
  maxTasksPerContract: z.number().int(),
  heartbeatCommitIntervalSecs: z.number().int(),
  bubblewrap: z.boolean(),
  serverUrl: z.string().nullable(),
  apiKeySet: z.boolean(),
  webUrl: z.string().nullable(),
  editable: z.array(EditableSettingSchema),
  theme: z.enum(THEMES),
})
export type SettingsView = z.infer<typeof SettingsViewSchema>

export const TaskDetailSchema = TaskSummarySchema.extend({
  plan: z.string(),
  baseBranch: z.string().nullable(),
  targetBranch: z.string().nullable(),
  completionAction: z.string().nullable(),
  depth: z.number().int(),
  autonomousLoop: z.boolean(),
  agentSessionId: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
})
export type TaskDetail = z.infer<typeof TaskDetailSchema>

/** What one turn cost (fields the agent left out are null). `cumulative`: the counts cover the
 * whole session so far (Codex), not this turn alone. */
export const TurnUsageSchema = z.object({
  durationMs: z.number().nullable(),
  costUsd: z.number().nullable(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  cumulative: z.boolean(),
})
export type TurnUsage = z.infer<typeof TurnUsageSchema>

/** One line of agent output as the transcript shows it, the same for every agent: the core reads
 * each line once with that agent's adapter, so the renderer never parses an agent's own JSON. */
export const TranscriptEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session'), model: z.string().nullable(), cwd: z.string().nullable() }),
  /** The agent's words; `delta`: a piece that continues the previous text. */
  z.object({ kind: z.literal('text'), text: z.string(), delta: z.boolean() }),
  z.object({ kind: z.literal('tool-call'), name: z.string(), summary: z.string() }),
  z.object({ kind: z.literal('tool-result'), ok: z.boolean(), text: z.string() }),
  z.object({ kind: z.literal('file-change'), path: z.string(), change: z.enum(['add', 'update', 'delete']) }),
  /** A question the agent asked the user (`makima supervisor ask`), once answered. */
  z.object({ kind: z.literal('qa'), question: z.string(), answer: z.string() }),
  /** The user's own turn: the plan, a follow-up. */
  z.object({ kind: z.literal('you'), text: z.string() }),
  z.object({ kind: z.literal('notice'), text: z.string() }),
  z.object({ kind: z.literal('error'), category: z.string(), text: z.string() }),
  z.object({ kind: z.literal('result'), ok: z.boolean(), text: z.string().nullable(), usage: TurnUsageSchema.nullable() }),
])
export type TranscriptEvent = z.infer<typeof TranscriptEventSchema>

/** A stored output line as printed (`data`); `events` is how it reads, for agent JSON lines (absent
 * for stderr, notices and plain text, which show as they are). */
export const OutputLineSchema = z.object({ seq: z.number().int(), kind: z.string(), data: z.string(), events: z.array(TranscriptEventSchema).optional() })
export type OutputLine = z.infer<typeof OutputLineSchema>

export const BranchInfoSchema = z.object({
  name: z.string(),
  taskId: z.string().nullable(),
  isMerged: z.boolean(),
  lastCommit: z.string(),
  lastCommitMessage: z.string(),
})
export type BranchInfo = z.infer<typeof BranchInfoSchema>

export const MergeOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('merged'), commitSha: z.string().nullable(), message: z.string() }),
  z.object({ kind: z.literal('conflicts'), files: z.array(z.string()), message: z.string() }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
])
export type MergeOutcome = z.infer<typeof MergeOutcomeSchema>

// operation: a rebase ("Update from base" by rebase) stops on conflicts like a merge and is
// resolved in the same editor; absent means a merge.
export const MergeStatusSchema = z.object({ inProgress: z.boolean(), sourceBranch: z.string().nullable(), conflictedFiles: z.array(z.string()), operation: z.enum(['merge', 'rebase']).optional() })
export type MergeStatus = z.infer<typeof MergeStatusSchema>

export const ConflictVersionsSchema = z.object({
  file: z.string(),
  base: z.string().nullable(),
  ours: z.string().nullable(),
  theirs: z.string().nullable(),
  binary: z.boolean(),
})
export type ConflictVersions = z.infer<typeof ConflictVersionsSchema>

export const QuestionSchema = z.object({
  id: z.string(),
  taskId: z.string(),
  contractId: z.string().nullable(),
  question: z.string(),
  choices: z.array(z.string()),
  context: z.string().nullable(),
  state: z.enum(['pending', 'answered', 'timed-out', 'cancelled']),
  answer: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
})
export type Question = z.infer<typeof QuestionSchema>

export const CONTRACT_PHASES = ['research', 'specify', 'plan', 'execute', 'review'] as const
export const ContractPhaseSchema = z.enum(CONTRACT_PHASES)
export const ContractSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['simple', 'specification']),
  phase: ContractPhaseSchema,
  status: z.string(),
  goal: z.string(),
  targetBranch: z.string().nullable(),
  supervisorTaskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type ContractSummary = z.infer<typeof ContractSummarySchema>

export const ContractDetailSchema = ContractSummarySchema.extend({
  repoUrl: z.string().nullable(),
  completedAt: z.string().nullable(),
  phaseLog: z.array(z.object({ fromPhase: ContractPhaseSchema.nullable(), toPhase: ContractPhaseSchema, by: z.string(), at: z.string() })),
  files: z.array(z.object({ id: z.string(), name: z.string(), content: z.string(), createdBy: z.string().nullable(), updatedAt: z.string() })),
  reports: z.array(z.object({ seq: z.number().int(), taskId: z.string(), kind: z.enum(['report', 'completion', 'done']), text: z.string(), createdAt: z.string() })),
  tasks: z.array(z.object({ taskId: z.string(), name: z.string(), status: z.string(), parentTaskId: z.string().nullable(), worktreePath: z.string().nullable() })),
  merges: z.array(z.object({ taskId: z.string(), kind: z.enum(['merged', 'skipped']), targetBranch: z.string().nullable(), sha: z.string().nullable(), createdAt: z.string() })),
  pullRequests: z.array(z.object({ url: z.string(), number: z.number().int().nullable(), branch: z.string(), base: z.string(), title: z.string(), createdAt: z.string() })),
  questions: z.array(QuestionSchema),
})
export type ContractDetail = z.infer<typeof ContractDetailSchema>

export const LoginStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('starting') }),
  z.object({ kind: z.literal('awaiting-code'), loginUrl: z.string(), retry: z.boolean() }),
  z.object({ kind: z.literal('verifying') }),
  z.object({ kind: z.literal('succeeded') }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
])
export type LoginState = z.infer<typeof LoginStateSchema>

export const AuthRequiredSchema = z.object({
  taskId: z.string().nullable(),
  loginUrl: z.string().nullable(),
  hostname: z.string().nullable(),
  /** The agent that needs it (absent: claude, which has a login flow). */
  agent: z.string().optional(),
  /** For an agent without a login flow: what to set or run (e.g. its API key variable). */
  hint: z.string().optional(),
  /** The environment variable of the API key the banner can take for that agent. */
  keyVar: z.string().optional(),
})

export const ServerStatusSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({ kind: z.literal('connecting'), url: z.string(), attempt: z.number().int() }),
  z.object({ kind: z.literal('connected'), url: z.string(), daemonId: z.string().nullable() }),
  z.object({ kind: z.literal('disconnected'), url: z.string(), reason: z.string(), retryInMs: z.number() }),
  z.object({ kind: z.literal('rejected'), url: z.string(), message: z.string() }),
])
export type ServerStatus = z.infer<typeof ServerStatusSchema>

/** A repository source checked before a task is created: fine (a local repository's top-level path, or null for a URL / new://), or what is wrong. */
export const RepoCheckSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ok'), path: z.string().nullable() }),
  z.object({ kind: z.literal('invalid'), message: z.string() }),
])
export type RepoCheck = z.infer<typeof RepoCheckSchema>
