// THE bridge contract between the renderer and main: every request (name, params, result) and
// every event, as zod schemas plus inferred types. Imports nothing but zod, so the renderer, the
// preload, the Electron shell and the headless web transport all share it.
import { z } from 'zod'

// ── Domain shapes that cross the bridge ─────────────────────────────────────────────────────────

export const TASK_STATES = ['pending', 'initializing', 'starting', 'running', 'paused', 'completed', 'failed', 'interrupted'] as const
export const TaskStateSchema = z.enum(TASK_STATES)
export type TaskState = z.infer<typeof TaskStateSchema>

export const TERMINAL_STATES: readonly TaskState[] = ['completed', 'failed', 'interrupted']
export const ACTIVE_STATES: readonly TaskState[] = ['initializing', 'starting', 'running', 'paused']

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

// ── Requests: renderer → main, answered with a Result ───────────────────────────────────────────

const NoParams = z.undefined()

export const requests = {
  getVersion: { params: NoParams, result: VersionInfoSchema },
  listTasks: {
    params: z.object({ states: z.array(TaskStateSchema).max(TASK_STATES.length).optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict().optional(),
    result: z.array(TaskSummarySchema),
  },
} as const

export type RequestName = keyof typeof requests
export type RequestParams<N extends RequestName> = z.input<(typeof requests)[N]['params']>
export type RequestResult<N extends RequestName> = z.infer<(typeof requests)[N]['result']>

// ── Events: main → renderer ─────────────────────────────────────────────────────────────────────

export const events = {
  taskUpdated: TaskSummarySchema,
  taskOutput: z.object({
    taskId: z.string(),
    lines: z.array(z.object({ seq: z.number().int(), kind: z.string(), data: z.string() })),
  }),
} as const

export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>

// ── Errors cross as data ────────────────────────────────────────────────────────────────────────

export const ERROR_CODES = ['invalid-params', 'untrusted-sender', 'unknown-request', 'not-found', 'conflict', 'internal'] as const
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
