// The daemon ⇄ server wire protocol (shared/PROTOCOL.md) as zod schemas. Commands are matched on a
// case-insensitive `type` and tolerate unknown extra fields (newer servers add some); messages are
// written in the camelCase form only. Nothing here does I/O.
import { z } from 'zod'

/** Frames above this size are refused (PROTOCOL.md, Transport). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024

const id = z.guid()
const opt = <T extends z.ZodType>(t: T) => t.nullish()

// ── Commands (server → daemon) ──────────────────────────────────────────────────────────────────

const COMMAND_FIELDS = {
  spawnTask: z.object({
    taskId: id,
    taskName: z.string(),
    plan: z.string(),
    repoUrl: opt(z.string()),
    baseBranch: opt(z.string()),
    targetBranch: opt(z.string()),
    parentTaskId: opt(id),
    depth: z.number().int().min(0),
    isOrchestrator: z.boolean(),
    isSupervisor: z.boolean(),
    targetRepoPath: opt(z.string()),
    completionAction: opt(z.enum(['none', 'branch', 'merge', 'pr'])),
    continueFromTaskId: opt(id),
    copyFiles: opt(z.array(z.string())),
    contractId: opt(id),
    autonomousLoop: z.boolean(),
    resumeSession: z.boolean(),
    conversationHistory: opt(z.unknown()),
    patchData: opt(z.string()),
    patchBaseSha: opt(z.string()),
    /** Our extension (docs/PROTOCOL-EXTENSIONS.md): the agent CLI; absent → the daemon's default. */
    agent: opt(z.enum(['claude', 'codex', 'gemini', 'opencode'])),
  }),
  pauseTask: z.object({ taskId: id }),
  resumeTask: z.object({ taskId: id }),
  interruptTask: z.object({ taskId: id, graceful: z.boolean() }),
  sendMessage: z.object({ taskId: id, message: z.string() }),
  injectSiblingContext: z.looseObject({ taskId: id }),
  authenticated: z.object({ daemonId: z.string() }),
  error: z.object({ code: z.string(), message: z.string() }),
  listBranches: z.object({ taskId: id }),
  mergeStart: z.object({ taskId: id, sourceBranch: z.string() }),
  mergeStatus: z.object({ taskId: id }),
  mergeResolve: z.object({ taskId: id, file: z.string(), strategy: z.enum(['ours', 'theirs']) }),
  mergeCommit: z.object({ taskId: id, message: z.string() }),
  mergeAbort: z.object({ taskId: id }),
  mergeSkip: z.object({ taskId: id, subtaskId: id, reason: z.string() }),
  checkMergeComplete: z.object({ taskId: id }),
  retryCompletionAction: z.object({
    taskId: id,
    taskName: z.string(),
    action: z.string(),
    targetRepoPath: z.string(),
    targetBranch: opt(z.string()),
  }),
  cloneWorktree: z.object({ taskId: id, targetDir: z.string() }),
  checkTargetExists: z.object({ taskId: id, targetDir: z.string() }),
  readRepoFile: z.object({ requestId: id, contractId: z.string(), filePath: z.string(), repoPath: z.string() }),
  createBranch: z.object({ taskId: id, branchName: z.string(), fromRef: opt(z.string()) }),
  mergeTaskToTarget: z.object({ taskId: id, targetBranch: opt(z.string()), squash: z.boolean() }),
  createPR: z.object({ taskId: id, title: z.string(), body: opt(z.string()), baseBranch: z.string() }),
  getTaskDiff: z.object({ taskId: id }),
  createCheckpoint: z.object({ taskId: id, message: z.string() }),
  cleanupWorktree: z.object({ taskId: id, deleteBranch: z.boolean() }),
  inheritGitConfig: z.object({ sourceDir: opt(z.string()) }),
  restartDaemon: z.object({}),
} as const

export type CommandType = keyof typeof COMMAND_FIELDS
export type Command = { [K in CommandType]: { type: K } & z.output<(typeof COMMAND_FIELDS)[K]> }[CommandType]
export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>
export const COMMAND_TYPES = Object.keys(COMMAND_FIELDS) as CommandType[]

const COMMAND_BY_LOWER = new Map<string, CommandType>(COMMAND_TYPES.map((t) => [t.toLowerCase(), t]))

// ── Messages (daemon → server) ──────────────────────────────────────────────────────────────────

const branchInfo = z.object({
  name: z.string(),
  taskId: opt(id),
  isMerged: z.boolean(),
  lastCommit: z.string(),
  lastCommitMessage: z.string(),
})
const taskState = z.enum(['pending', 'initializing', 'starting', 'running', 'paused', 'completed', 'failed', 'interrupted'])

const MESSAGE_FIELDS = {
  authenticate: z.object({
    apiKey: z.string(),
    machineId: id,
    hostname: z.string(),
    maxConcurrentTasks: z.number().int().min(0),
    version: opt(z.string()),
  }),
  heartbeat: z.object({ activeTasks: z.array(id) }),
  taskOutput: z.object({ taskId: id, output: z.string(), isPartial: z.boolean() }),
  taskStatusChange: z.object({ taskId: id, oldStatus: taskState, newStatus: taskState }),
  taskProgress: z.object({ taskId: id, summary: z.string() }),
  taskComplete: z.object({ taskId: id, success: z.boolean(), error: opt(z.string()) }),
  taskRecoveryDetected: z.object({
    taskId: id,
    previousState: z.string(),
    worktreeIntact: z.boolean(),
    worktreePath: opt(z.string()),
    needsPatch: z.boolean(),
  }),
  registerToolKey: z.object({ taskId: id, key: z.string() }),
  revokeToolKey: z.object({ taskId: id }),
  authenticationRequired: z.object({ taskId: opt(id), loginUrl: z.string(), hostname: opt(z.string()) }),
  branchList: z.object({ taskId: id, branches: z.array(branchInfo) }),
  mergeResult: z.object({
    taskId: id,
    success: z.boolean(),
    message: z.string(),
    commitSha: opt(z.string()),
    conflicts: opt(z.array(z.string())),
  }),
  mergeStatusResponse: z.object({
    taskId: id,
    inProgress: z.boolean(),
    sourceBranch: opt(z.string()),
    conflictedFiles: z.array(z.string()),
  }),
  mergeCompleteCheck: z.object({
    taskId: id,
    canComplete: z.boolean(),
    unmergedBranches: z.array(z.string()),
    mergedCount: z.number().int().min(0),
    skippedCount: z.number().int().min(0),
  }),
  completionActionResult: z.object({ taskId: id, success: z.boolean(), message: z.string(), prUrl: opt(z.string()) }),
  cloneWorktreeResult: z.object({ taskId: id, success: z.boolean(), message: z.string(), targetDir: opt(z.string()) }),
  checkTargetExistsResult: z.object({ taskId: id, exists: z.boolean(), targetDir: z.string() }),
  cleanupWorktreeResult: z.object({ taskId: id, success: z.boolean(), message: z.string() }),
  repoFileContent: z.object({
    requestId: id,
    filePath: z.string(),
    content: opt(z.string()),
    success: z.boolean(),
    error: opt(z.string()),
  }),
  branchCreated: z.object({ taskId: id, success: z.boolean(), branchName: z.string(), message: z.string() }),
  mergeToTargetResult: z.object({
    taskId: id,
    success: z.boolean(),
    message: z.string(),
    commitSha: opt(z.string()),
    conflicts: opt(z.array(z.string())),
  }),
  prCreated: z.object({
    taskId: id,
    success: z.boolean(),
    message: z.string(),
    prUrl: opt(z.string()),
    prNumber: opt(z.number().int()),
  }),
  taskDiff: z.object({ taskId: id, success: z.boolean(), diff: opt(z.string()), error: opt(z.string()) }),
  checkpointCreated: z.object({
    taskId: id,
    success: z.boolean(),
    commitSha: opt(z.string()),
    branchName: opt(z.string()),
    checkpointNumber: opt(z.number().int()),
    filesChanged: opt(z.array(z.object({ action: z.string(), path: z.string() }))),
    linesAdded: opt(z.number().int()),
    linesRemoved: opt(z.number().int()),
    error: opt(z.string()),
    message: z.string(),
    patchData: opt(z.string()),
    patchBaseSha: opt(z.string()),
    patchFilesCount: opt(z.number().int()),
  }),
  gitConfigInherited: z.object({
    success: z.boolean(),
    userEmail: opt(z.string()),
    userName: opt(z.string()),
    error: opt(z.string()),
  }),
} as const

export type MessageType = keyof typeof MESSAGE_FIELDS
export type Message = { [K in MessageType]: { type: K } & z.input<(typeof MESSAGE_FIELDS)[K]> }[MessageType]
export type MessageOf<K extends MessageType> = Extract<Message, { type: K }>
export const MESSAGE_TYPES = Object.keys(MESSAGE_FIELDS) as MessageType[]

/** Strict schema of one outbound message: exact camelCase `type`, every field checked. Used to check
 * what the daemon writes (in tests and in the fake server) and to refuse building a bad frame. */
export const messageSchema = z.discriminatedUnion(
  'type',
  MESSAGE_TYPES.map((t) => MESSAGE_FIELDS[t].extend({ type: z.literal(t) })) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<MessageType> }>,
    ...z.ZodObject<{ type: z.ZodLiteral<MessageType> }>[],
  ],
)

/** Strict schema of one command as a server writes it (exact camelCase `type`), for the fake server. */
export const commandSchema = z.discriminatedUnion(
  'type',
  COMMAND_TYPES.map((t) => COMMAND_FIELDS[t].extend({ type: z.literal(t) })) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<CommandType> }>,
    ...z.ZodObject<{ type: z.ZodLiteral<CommandType> }>[],
  ],
)

// ── Parsing and writing ─────────────────────────────────────────────────────────────────────────

/** Why a frame was ignored. `type`/`taskId` are filled when they could be read, so a malformed
 * command that names a task can still be answered. Never carries the frame's text. */
export type FrameProblem =
  | { kind: 'oversized'; bytes: number }
  | { kind: 'binary' }
  | { kind: 'not-json' }
  | { kind: 'not-an-object' }
  | { kind: 'no-type' }
  | { kind: 'unknown-type'; type: string }
  | { kind: 'invalid-fields'; type: CommandType; issues: string; taskId?: string; requestId?: string }

export type ParsedFrame = { ok: true; command: Command } | { ok: false; problem: FrameProblem }

/** Parses one inbound text frame. Never throws. */
export function parseCommandFrame(text: string): ParsedFrame {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_FRAME_BYTES) return { ok: false, problem: { kind: 'oversized', bytes } }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, problem: { kind: 'not-json' } }
  }
  return parseCommandValue(value)
}

export function parseCommandValue(value: unknown): ParsedFrame {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: { kind: 'not-an-object' } }
  const raw = value as Record<string, unknown>
  if (typeof raw.type !== 'string') return { ok: false, problem: { kind: 'no-type' } }
  const type = COMMAND_BY_LOWER.get(raw.type.toLowerCase())
  if (!type) return { ok: false, problem: { kind: 'unknown-type', type: raw.type.slice(0, 64) } }
  const parsed = COMMAND_FIELDS[type].safeParse(raw)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
    const taskId = id.safeParse(raw.taskId).success ? (raw.taskId as string) : undefined
    const requestId = id.safeParse(raw.requestId).success ? (raw.requestId as string) : undefined
    return { ok: false, problem: { kind: 'invalid-fields', type, issues: issues.slice(0, 500), taskId, requestId } }
  }
  return { ok: true, command: { ...parsed.data, type } as Command }
}

/** Checks and serializes an outbound message (camelCase, nulls and undefineds omitted). Throws a
 * ProtocolError when the message does not match PROTOCOL.md: a bug in the caller, not input. */
export function encodeMessage(message: Message): string {
  const parsed = messageSchema.safeParse(message)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new ProtocolError(`invalid ${String((message as { type?: unknown }).type)} message: ${issues}`)
  }
  return JSON.stringify(message, (_k, v: unknown) => (v === null ? undefined : v))
}

/** Encodes a command as a server would (for the fake server and tests). */
export function encodeCommand(command: Command): string {
  return JSON.stringify(command)
}

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProtocolError'
  }
}

/** Short human description of a frame problem, safe to log (holds no frame content). */
export function describeProblem(p: FrameProblem): string {
  switch (p.kind) {
    case 'oversized':
      return `frame of ${p.bytes} bytes is over the ${MAX_FRAME_BYTES}-byte limit`
    case 'binary':
      return 'binary frame (only JSON text frames are accepted)'
    case 'not-json':
      return 'frame is not valid JSON'
    case 'not-an-object':
      return 'frame is not a JSON object'
    case 'no-type':
      return 'frame has no string "type"'
    case 'unknown-type':
      return `unknown command type "${p.type}"`
    case 'invalid-fields':
      return `invalid ${p.type} command: ${p.issues}`
  }
}
