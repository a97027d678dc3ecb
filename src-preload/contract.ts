// THE bridge contract between the renderer and main: every request (name, params, result) and
// every event, as zod schemas plus inferred types, over the domain shapes of contract-shapes.ts
// (re-exported here). Imports nothing but zod, so the renderer, the preload, the Electron shell and
// the headless web transport all share it.
import { z } from 'zod'
import { TASK_STATES, TaskStateSchema, AgentIdSchema, AgentInfoSchema, TaskSummarySchema, VersionInfoSchema, EDITABLE_SETTINGS, EditableSettingKeySchema, SettingValueSchema, THEMES, SettingsViewSchema, TaskDetailSchema, OutputLineSchema, BranchInfoSchema, MergeOutcomeSchema, MergeStatusSchema, ConflictVersionsSchema, QuestionSchema, ContractPhaseSchema, ContractSummarySchema, ContractDetailSchema, LoginStateSchema, AuthRequiredSchema, ServerStatusSchema, RepoCheckSchema } from './contract-shapes'

export * from './contract-shapes'

// ── Requests: renderer → main, answered with a Result ───────────────────────────────────────────

const NoParams = z.undefined()
const Ok = z.null()
const TaskId = z.string().min(1).max(100)
const TaskRef = z.object({ taskId: TaskId }).strict()
const Text = (max: number) => z.string().max(max)
const TerminalId = z.string().min(1).max(100)
const RelPath = z.string().min(1).max(4096).refine((p) => !p.startsWith('/') && !p.split(/[\\/]+/).includes('..'), 'must be a path inside the repository')

export const requests = {
  getVersion: { params: NoParams, result: VersionInfoSchema },
  getSettings: { params: NoParams, result: SettingsViewSchema },
  /** The agents a task may run on (built-in and custom), and the default. */
  listAgents: { params: NoParams, result: z.object({ default: AgentIdSchema, agents: z.array(AgentInfoSchema) }) },
  // Saves the changes (all or none: each is checked first); answers the new view.
  updateSettings: {
    params: z.object({ changes: z.array(z.object({ key: EditableSettingKeySchema, value: SettingValueSchema.nullable() }).strict()).min(1).max(EDITABLE_SETTINGS.length) }).strict(),
    result: SettingsViewSchema,
  },
  listTasks: {
    params: z.object({ states: z.array(TaskStateSchema).max(TASK_STATES.length).optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict().optional(),
    result: z.array(TaskSummarySchema),
  },
  getTask: { params: TaskRef, result: TaskDetailSchema },
  getTaskOutput: {
    // `tail: n` returns the last n lines; otherwise lines after `afterSeq`, oldest first.
    params: z.object({ taskId: TaskId, afterSeq: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(5000).optional(), tail: z.number().int().min(1).max(5000).optional() }).strict(),
    // truncated: the answer hit the core's byte budget — `tail` kept the newest lines, a page after
    // `afterSeq` the oldest — so the lines form one gap-free run and the caller pages for the rest.
    result: z.object({ lines: z.array(OutputLineSchema), total: z.number().int(), truncated: z.boolean() }),
  },
  createTask: {
    params: z
      .object({
        name: Text(200).min(1),
        plan: Text(1_000_000).min(1),
        repoUrl: Text(4096).min(1).optional(),
        baseBranch: Text(255).min(1).optional(),
        targetBranch: Text(255).min(1).optional(),
        mode: z.enum(['task', 'orchestrator', 'supervisor']).default('task'),
        autonomousLoop: z.boolean().default(false),
        completionAction: z.enum(['none', 'branch', 'merge', 'pr']).default('none'),
        /** Absent: the configured default agent (agent.default). */
        agent: AgentIdSchema.optional(),
      })
      .strict(),
    // queued: every agent slot was busy; the task starts as soon as one frees up.
    result: z.object({ taskId: z.string(), queued: z.boolean() }),
  },
  // Repositories: checked before a task is created (exists, a git repository with a commit, inside
  // worktree.allowed_roots); the ones tasks were started from lately, newest first; and a native
  // folder dialog, which only the Electron app answers (the web UI hides its button).
  checkRepository: { params: z.object({ repoUrl: Text(4096).min(1) }).strict(), result: RepoCheckSchema },
  listRecentRepos: { params: NoParams, result: z.array(z.string()) },
  pickDirectory: { params: z.object({ title: Text(200).optional() }).strict().optional(), result: z.object({ path: z.string().nullable() }) },
  // Tasks that were running when the core stopped (crash, reboot): offered for resume.
  listRecoverable: {
    params: NoParams,
    result: z.array(z.object({ taskId: z.string(), previousState: TaskStateSchema, worktreePath: z.string(), sessionId: z.string().nullable() })),
  },
  resumeRecovered: { params: TaskRef, result: z.object({ taskId: z.string() }) },
  dismissRecovered: { params: TaskRef, result: Ok },
  pauseTask: { params: TaskRef, result: Ok },
  resumeTask: { params: TaskRef, result: Ok },
  interruptTask: { params: TaskRef, result: Ok },
  sendMessage: { params: z.object({ taskId: TaskId, message: Text(1_000_000).min(1) }).strict(), result: Ok },
  // tooLarge: the diff passed the core's limit; `diff` is then empty (look at the worktree instead).
  // scope: what the diff shows — uncommitted work, the branch's commits since its base, or (once
  // merged back) the commits it made since it was created.
  getTaskDiff: { params: TaskRef, result: z.object({ diff: z.string(), tooLarge: z.object({ limitBytes: z.number().int() }).optional(), scope: z.enum(['uncommitted', 'commits', 'merged', 'empty']).optional() }) },
  // The per-commit view: the branch's commits since its base (newest first), and one commit's diff.
  listTaskCommits: {
    params: TaskRef,
    result: z.object({
      merged: z.boolean(),
      total: z.number().int(),
      commits: z.array(z.object({ sha: z.string(), subject: z.string(), author: z.string(), date: z.string(), parents: z.number().int() })),
    }),
  },
  getCommitDiff: {
    params: z.object({ taskId: TaskId, sha: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a commit sha') }).strict(),
    result: z.object({ sha: z.string(), subject: z.string(), diff: z.string(), tooLarge: z.object({ limitBytes: z.number().int() }).optional() }),
  },
  listBranches: { params: TaskRef, result: z.array(BranchInfoSchema) },
  mergeStart: { params: z.object({ taskId: TaskId, sourceBranch: Text(255).min(1) }).strict(), result: MergeOutcomeSchema },
  mergeStatus: { params: TaskRef, result: MergeStatusSchema },
  getConflictVersions: { params: z.object({ taskId: TaskId, file: RelPath }).strict(), result: ConflictVersionsSchema },
  mergeResolve: {
    params: z.union([
      z.object({ taskId: TaskId, file: RelPath, strategy: z.enum(['ours', 'theirs']) }).strict(),
      z.object({ taskId: TaskId, file: RelPath, content: Text(64 * 1024 * 1024) }).strict(),
    ]),
    result: MergeStatusSchema,
  },
  mergeCommit: { params: z.object({ taskId: TaskId, message: Text(10_000).min(1) }).strict(), result: MergeOutcomeSchema },
  mergeAbort: { params: TaskRef, result: Ok },
  // Delivery of a finished task: merge its branch into a target branch, open a PR, remove it.
  // Branch pickers: the repository's local branches, the task's base first.
  listLocalBranches: { params: TaskRef, result: z.object({ base: z.string(), branches: z.array(z.string()) }) },
  // "Update from base": merges the task's base (or `baseBranch`) into its own branch, in its worktree,
  // or (mode 'rebase') replays the branch on top of it. Conflicts stop either in the conflict editor.
  updateFromBase: { params: z.object({ taskId: TaskId, baseBranch: Text(255).min(1).optional(), mode: z.enum(['merge', 'rebase']).optional() }).strict(), result: MergeOutcomeSchema },
  // Lifecycle of an ended task: both remove its worktree safely (WIP commit, branch kept).
  archiveTask: { params: TaskRef, result: z.object({ message: z.string() }) },
  unarchiveTask: { params: TaskRef, result: z.object({ message: z.string() }) },
  deleteTask: { params: TaskRef, result: z.object({ message: z.string() }) },
  mergeTaskToTarget: { params: z.object({ taskId: TaskId, targetBranch: Text(255).min(1).optional(), squash: z.boolean().default(false) }).strict(), result: MergeOutcomeSchema },
  createPullRequest: {
    params: z.object({ taskId: TaskId, title: Text(300).min(1), body: Text(100_000).optional(), base: Text(255).min(1).optional() }).strict(),
    result: z.object({ url: z.string(), number: z.number().int().nullable() }),
  },
  removeWorktree: { params: z.object({ taskId: TaskId, deleteBranch: z.boolean().default(false) }).strict(), result: z.object({ message: z.string() }) },
  listQuestions: { params: z.object({ pendingOnly: z.boolean().optional() }).strict().optional(), result: z.array(QuestionSchema) },
  answerQuestion: { params: z.object({ questionId: z.string().min(1).max(100), answer: Text(100_000).min(1) }).strict(), result: QuestionSchema },
  listContracts: { params: NoParams, result: z.array(ContractSummarySchema) },
  getContract: { params: z.object({ contractId: z.string().min(1).max(100) }).strict(), result: ContractDetailSchema },
  createContract: {
    params: z
      .object({
        name: Text(200).min(1),
        goal: Text(1_000_000).min(1),
        type: z.enum(['simple', 'specification']).default('simple'),
        repoUrl: Text(4096).min(1),
        targetBranch: Text(255).min(1).optional(),
      })
      .strict(),
    result: z.object({ contractId: z.string(), supervisorTaskId: z.string() }),
  },
  advancePhase: { params: z.object({ contractId: z.string().min(1).max(100), phase: ContractPhaseSchema }).strict(), result: ContractSummarySchema },
  getLoginState: { params: NoParams, result: LoginStateSchema },
  startLogin: { params: NoParams, result: LoginStateSchema },
  submitAuthCode: { params: z.object({ code: Text(4096).min(1) }).strict(), result: LoginStateSchema },
  cancelLogin: { params: NoParams, result: LoginStateSchema },
  restartAuthFailedTasks: { params: NoParams, result: z.object({ restarted: z.array(z.string()) }) },
  /** An API key for an agent without a login flow (kept like the Claude token, given to the agent
   * in its environment only); then the task that stopped for it, if named, is restarted. */
  setAgentKey: {
    params: z.object({ agent: AgentIdSchema, key: Text(4096).min(1).regex(/^\S+$/, 'one word without spaces'), taskId: TaskId.optional() }).strict(),
    result: z.object({ restarted: z.boolean() }),
  },
  getServerStatus: { params: NoParams, result: ServerStatusSchema },
  // Interactive terminals in a task's worktree. Output arrives as `terminalData`; the renderer
  // acknowledges what it has drawn (`bytes` = the `data.length` it processed) so main can pause
  // a flooding shell.
  // run: the tab runs the repository's `.makima/run` (dev server, tests) instead of a shell.
  openTerminal: { params: z.object({ taskId: TaskId, cols: z.number().int().min(1).max(500).optional(), rows: z.number().int().min(1).max(200).optional(), run: z.boolean().optional() }).strict(), result: z.object({ terminalId: z.string() }) },
  writeTerminal: { params: z.object({ terminalId: TerminalId, data: z.string().max(64 * 1024) }).strict(), result: Ok },
  resizeTerminal: { params: z.object({ terminalId: TerminalId, cols: z.number().int().min(1).max(500), rows: z.number().int().min(1).max(200) }).strict(), result: Ok },
  ackTerminal: { params: z.object({ terminalId: TerminalId, bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict(), result: Ok },
  closeTerminal: { params: z.object({ terminalId: TerminalId }).strict(), result: Ok },
  // Terminals live with the worktree, not the view: a view lists a task's open terminals, attaches
  // (the scrollback so far, then live output from `end`) and detaches when it goes away.
  listTerminals: { params: TaskRef, result: z.array(z.object({ terminalId: z.string(), pid: z.number().int(), kind: z.enum(['shell', 'run']).optional() })) },
  attachTerminal: { params: z.object({ terminalId: TerminalId }).strict(), result: z.object({ scrollback: z.string(), end: z.number().int().min(0) }) },
  detachTerminal: { params: z.object({ terminalId: TerminalId }).strict(), result: Ok },
} as const

export type RequestName = keyof typeof requests
export type RequestParams<N extends RequestName> = z.input<(typeof requests)[N]['params']>
export type RequestResult<N extends RequestName> = z.infer<(typeof requests)[N]['result']>

// ── Events: main → renderer ─────────────────────────────────────────────────────────────────────

export const events = {
  taskUpdated: TaskSummarySchema,
  taskRemoved: z.object({ taskId: z.string() }),
  taskOutput: z.object({ taskId: z.string(), lines: z.array(OutputLineSchema) }),
  questionUpdated: QuestionSchema,
  contractUpdated: ContractSummarySchema,
  loginState: LoginStateSchema,
  authRequired: AuthRequiredSchema,
  /** The sign-in prompt for this task is no longer needed (the agent's retry got through). */
  authCleared: z.object({ taskId: z.string() }),
  serverStatus: ServerStatusSchema,
  /** Settings were saved (from any window): each window applies what it shows at once (the theme). */
  settingsChanged: z.object({ theme: z.enum(THEMES) }),
  notice: z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string(), taskId: z.string().nullable() }),
  /** `offset`: where `data` starts in the terminal's output (an attached view skips what its scrollback held). */
  terminalData: z.object({ terminalId: z.string(), data: z.string(), offset: z.number().int().min(0) }),
  terminalExit: z.object({ terminalId: z.string(), exitCode: z.number().int() }),
  /** The task's worktree or branch changed (agent tools, its end, a merge): views re-read the diff. Debounced. */
  taskFilesChanged: z.object({ taskId: z.string() }),
} as const

export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>

// ── Errors cross as data ────────────────────────────────────────────────────────────────────────

export const ERROR_CODES = ['invalid-params', 'untrusted-sender', 'unknown-request', 'not-found', 'conflict', 'unavailable', 'internal'] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string }

export const ResultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), code: z.enum(ERROR_CODES), message: z.string() }),
  ])

/** The API the preload exposes as `window.makima` (and the web transport implements). */
export type MakimaApi = {
  [N in RequestName]: (params?: RequestParams<N>) => Promise<Result<RequestResult<N>>>
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

// ── Channel names (Electron IPC; the web transport uses the same names in its frames) ──────────

export const INVOKE_CHANNEL_PREFIX = 'makima:invoke:'
export const EVENT_CHANNEL = 'makima:event'
export const requestNames = Object.keys(requests) as RequestName[]
export const eventNames = Object.keys(events) as EventName[]
