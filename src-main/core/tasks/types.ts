// Shapes at the task engine's boundary: the spawnTask request (every field of PROTOCOL.md, checked
// with zod) and the events the manager emits. Events that go to the server have exactly the
// PROTOCOL.md message shapes (`type` + camelCase fields); `taskOutputBatch` is local — output is
// batched per task, and toServerMessages() turns a batch into one `taskOutput` per line.
import { z } from 'zod'
import { TaskStateSchema, type TaskState } from '../../../src-preload/contract'
import { AgentIdSchema } from '../../../src-preload/contract'

const Id = z.guid()
/** Optional on the wire means absent or null; both become undefined here. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined)

/** A path relative to a worktree that cannot climb out of it. */
export const RelativePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte')
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p) && !p.startsWith('\\'), 'path must be relative')
  .refine((p) => !p.split(/[\\/]+/).includes('..'), 'path may not contain ".."')

export const COMPLETION_ACTIONS = ['none', 'branch', 'merge', 'pr'] as const
export type CompletionAction = (typeof COMPLETION_ACTIONS)[number]

export const SpawnTaskRequestSchema = z.object({
  taskId: Id,
  taskName: z.string().min(1).max(500),
  plan: z.string().max(16 * 1024 * 1024),
  repoUrl: opt(z.string().min(1).max(4096)),
  baseBranch: opt(z.string().min(1).max(255)),
  targetBranch: opt(z.string().min(1).max(255)),
  parentTaskId: opt(Id),
  depth: z.number().int().min(0).max(100).nullish().transform((v) => v ?? 0),
  isOrchestrator: z.boolean().nullish().transform((v) => v ?? false),
  isSupervisor: z.boolean().nullish().transform((v) => v ?? false),
  targetRepoPath: opt(z.string().min(1).max(4096)),
  completionAction: opt(z.enum(COMPLETION_ACTIONS)),
  continueFromTaskId: opt(Id),
  copyFiles: opt(z.array(RelativePathSchema).max(10_000)),
  contractId: opt(Id),
  autonomousLoop: z.boolean().nullish().transform((v) => v ?? false),
  resumeSession: z.boolean().nullish().transform((v) => v ?? false),
  conversationHistory: z.unknown().optional().transform((v) => (v === null ? undefined : v)),
  patchData: opt(z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'patchData must be standard base64')),
  patchBaseSha: opt(z.string().regex(/^[0-9a-fA-F]{7,64}$/, 'patchBaseSha must be a commit sha')),
  /** Our extension: which agent CLI runs the task (claude when absent). */
  agent: opt(AgentIdSchema),
})

/** What the wire may send (optional fields absent or null). */
export type SpawnTaskInput = z.input<typeof SpawnTaskRequestSchema>
/** After validation: defaults applied, nulls gone. */
export type SpawnTaskRequest = z.output<typeof SpawnTaskRequestSchema>

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string }

export function parseSpawnTask(input: unknown): ParseResult<SpawnTaskRequest> {
  const r = SpawnTaskRequestSchema.safeParse(input)
  if (r.success) return { ok: true, value: r.data }
  const first = r.error.issues[0]
  const where = first?.path.length ? first.path.join('.') : 'request'
  return { ok: false, message: `Invalid spawnTask: ${where}: ${first?.message ?? 'invalid'}` }
}

// ── Events ───────────────────────────────────────────────────────────────────────────────────

export const TaskStatusChangeSchema = z.object({
  type: z.literal('taskStatusChange'),
  taskId: z.string(),
  oldStatus: TaskStateSchema,
  newStatus: TaskStateSchema,
})
export const TaskOutputSchema = z.object({ type: z.literal('taskOutput'), taskId: z.string(), output: z.string(), isPartial: z.boolean() })
export const TaskCompleteSchema = z.object({
  type: z.literal('taskComplete'),
  taskId: z.string(),
  success: z.boolean(),
  error: z.string().optional(),
})
export const RegisterToolKeySchema = z.object({ type: z.literal('registerToolKey'), taskId: z.string(), key: z.string() })
export const RevokeToolKeySchema = z.object({ type: z.literal('revokeToolKey'), taskId: z.string() })
export const TaskRecoveryDetectedSchema = z.object({
  type: z.literal('taskRecoveryDetected'),
  taskId: z.string(),
  previousState: TaskStateSchema,
  worktreeIntact: z.boolean(),
  worktreePath: z.string().optional(),
  needsPatch: z.boolean(),
})
export const AuthenticationRequiredSchema = z.object({
  type: z.literal('authenticationRequired'),
  taskId: z.string().optional(),
  loginUrl: z.string(),
  hostname: z.string().optional(),
})
export const CompletionActionResultSchema = z.object({
  type: z.literal('completionActionResult'),
  taskId: z.string(),
  success: z.boolean(),
  message: z.string(),
  prUrl: z.string().optional(),
})
export const CheckpointCreatedSchema = z.object({
  type: z.literal('checkpointCreated'),
  taskId: z.string(),
  success: z.boolean(),
  commitSha: z.string().optional(),
  branchName: z.string().optional(),
  checkpointNumber: z.number().int().optional(),
  filesChanged: z.array(z.object({ action: z.string(), path: z.string() })).optional(),
  linesAdded: z.number().int().optional(),
  linesRemoved: z.number().int().optional(),
  error: z.string().optional(),
  message: z.string(),
  patchData: z.string().optional(),
  patchBaseSha: z.string().optional(),
  patchFilesCount: z.number().int().optional(),
})

export type TaskStatusChange = z.infer<typeof TaskStatusChangeSchema>
export type TaskOutputMessage = z.infer<typeof TaskOutputSchema>
export type TaskComplete = z.infer<typeof TaskCompleteSchema>
export type RegisterToolKey = z.infer<typeof RegisterToolKeySchema>
export type RevokeToolKey = z.infer<typeof RevokeToolKeySchema>
export type TaskRecoveryDetected = z.infer<typeof TaskRecoveryDetectedSchema>
export type AuthenticationRequired = z.infer<typeof AuthenticationRequiredSchema>
export type CompletionActionResult = z.infer<typeof CompletionActionResultSchema>
export type CheckpointCreated = z.infer<typeof CheckpointCreatedSchema>

/** One stored output line, as persisted in task_output. */
export interface TaskOutputLine {
  seq: number
  kind: string
  data: string
}

/** Local: a batch of persisted output lines of one task (the bridge draws these). */
export interface TaskOutputBatch {
  type: 'taskOutputBatch'
  taskId: string
  lines: TaskOutputLine[]
}

/** Local: the task's record changed (state, worktree, session id, error) — for the UI list. */
export interface TaskUpdated {
  type: 'taskUpdated'
  taskId: string
  state: TaskState
}

/** Local: a sign-in prompt raised for the task is no longer needed (a later retry succeeded). */
export interface AuthenticationCleared {
  type: 'authenticationCleared'
  taskId: string
}

/** Local: the agent ran a tool or changed a file, so the worktree may differ (views re-read it). */
export interface WorktreeTouched {
  type: 'worktreeTouched'
  taskId: string
}

/** Local: an agent without a login flow we can drive (Codex, Gemini) was refused: how to sign in. */
export interface AgentAuthRequired {
  type: 'agentAuthRequired'
  taskId: string
  agent: string
  /** The agent's own message. */
  message: string
  /** What the user should do, e.g. which environment variable holds the key. */
  hint: string
  /** The environment variable the key goes in (the sign-in banner can take it). */
  keyVar?: string
}

/** Messages of PROTOCOL.md that the task engine produces. */
export type TaskServerMessage =
  | TaskStatusChange
  | TaskOutputMessage
  | TaskComplete
  | RegisterToolKey
  | RevokeToolKey
  | TaskRecoveryDetected
  | AuthenticationRequired
  | CompletionActionResult
  | CheckpointCreated

/** Everything the manager emits. */
export type TaskEvent = Exclude<TaskServerMessage, TaskOutputMessage> | TaskOutputBatch | TaskUpdated | AuthenticationCleared | AgentAuthRequired | WorktreeTouched

/** The PROTOCOL.md messages an event stands for (none for purely local events). */
export function toServerMessages(event: TaskEvent): TaskServerMessage[] {
  switch (event.type) {
    case 'taskOutputBatch':
      return event.lines.map((l) => ({ type: 'taskOutput', taskId: event.taskId, output: l.data, isPartial: false }))
    case 'taskUpdated':
    case 'authenticationCleared':
    case 'agentAuthRequired':
    case 'worktreeTouched':
      return []
    default:
      return [event]
  }
}
