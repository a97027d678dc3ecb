// The tool API's routes: who may call each one (role), what its body looks like, and which
// control-plane operation answers it. Paths follow the few seen upstream (/api/v1/contracts/{id}/phase,
// /api/v1/mesh/tasks/{id}, …/output); the rest are ours.
import type { z } from 'zod'
import * as contractOps from '../control/contract-ops'
import * as orch from '../control/orchestrator-ops'
import { questionAnswerView, type Caller, type ControlPlane } from '../control/plane'
import { done, fail, type Op } from '../control/result'
import * as sup from '../control/supervisor-ops'
import { taskView } from '../control/views'
import {
  AskBodySchema, BranchBodySchema, CheckpointBodySchema, CompletionBodySchema, DoneBodySchema, EmptyBodySchema, FileCreateBodySchema,
  FileUpdateBodySchema, MergeBodySchema, PhaseBodySchema, PullRequestBodySchema, ReportBodySchema, SecondsQuery, SpawnBodySchema, SubtaskBodySchema,
} from './schemas'

/** supervisor: the contract's supervisor; member: any task of the contract; orchestrator; any: any valid key. */
export type Role = 'supervisor' | 'member' | 'orchestrator' | 'any'

export interface RouteContext {
  plane: ControlPlane
  caller: Caller
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
  signal: AbortSignal
  /** Longest a long-poll may hold this request. */
  maxWaitMs: number
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT'
  pattern: RegExp
  role: Role
  body?: z.ZodType
  handle(ctx: RouteContext): Op<unknown> | Promise<Op<unknown>>
}

const C = '/api/v1/contracts/(?<cid>[^/]+)'
const T = '(?<tid>[^/]+)'
const path = (p: string) => new RegExp(`^${p}$`)
const cid = (ctx: RouteContext) => ctx.params.cid!
const b = <T>(ctx: RouteContext) => ctx.body as T

function seconds(ctx: RouteContext, name: string): Op<number> {
  const raw = ctx.query.get(name)
  if (raw === null) return done(0)
  const r = SecondsQuery.safeParse(raw)
  return r.success ? done(r.data) : fail('bad-request', `?${name} must be a number of seconds`)
}

/** A task the supervisor may look at (its contract's). */
function target(ctx: RouteContext) {
  return ctx.plane.visibleTask(ctx.caller, ctx.params.tid!)
}

async function withTarget<T>(ctx: RouteContext, f: (t: NonNullable<ReturnType<ControlPlane['task']>>) => Op<T> | Promise<Op<T>>): Promise<Op<T>> {
  const t = target(ctx)
  return t.ok ? f(t.value) : t
}

export const ROUTES: Route[] = [
  // ── Supervisor ──
  { method: 'POST', pattern: path(`${C}/tasks`), role: 'supervisor', body: SpawnBodySchema, handle: (ctx) => sup.spawn(ctx.plane, ctx.caller, cid(ctx), b(ctx)) },
  { method: 'GET', pattern: path(`${C}/tasks`), role: 'supervisor', handle: (ctx) => done(ctx.plane.contractTasks(cid(ctx)).filter((t) => t.taskId !== ctx.caller.taskId)) },
  { method: 'GET', pattern: path(`${C}/tree`), role: 'supervisor', handle: (ctx) => sup.tree(ctx.plane, cid(ctx)) },
  {
    method: 'POST', pattern: path(`${C}/branches`), role: 'supervisor', body: BranchBodySchema,
    handle: (ctx) => sup.branch(ctx.caller, b<{ name: string }>(ctx).name, b<{ from?: string }>(ctx).from),
  },
  {
    method: 'POST', pattern: path(`${C}/merges`), role: 'supervisor', body: MergeBodySchema,
    handle: (ctx) => {
      const body = b<{ taskId: string; to?: string; squash: boolean }>(ctx)
      const t = ctx.plane.visibleTask(ctx.caller, body.taskId)
      return t.ok ? sup.merge(ctx.plane, ctx.caller, t.value, body.to, body.squash) : t
    },
  },
  { method: 'POST', pattern: path(`${C}/pull-requests`), role: 'supervisor', body: PullRequestBodySchema, handle: (ctx) => sup.pullRequest(ctx.plane, ctx.caller, b(ctx)) },
  { method: 'POST', pattern: path(`${C}/checkpoints`), role: 'supervisor', body: CheckpointBodySchema, handle: (ctx) => sup.checkpoint(ctx.plane, ctx.caller, b<{ message: string }>(ctx).message) },
  {
    method: 'POST', pattern: path(`${C}/phase`), role: 'supervisor', body: PhaseBodySchema,
    handle: (ctx) => {
      const r = ctx.plane.advancePhase(cid(ctx), b<{ phase: string }>(ctx).phase, ctx.caller.taskId)
      return r.ok ? done({ success: true, contractId: r.value.id, phase: r.value.phase, status: r.value.status }) : r
    },
  },
  {
    method: 'POST', pattern: path(`${C}/complete`), role: 'supervisor', body: EmptyBodySchema,
    handle: (ctx) => {
      const r = ctx.plane.complete(cid(ctx))
      return r.ok ? done({ success: true, contractId: r.value.id, status: r.value.status, phase: r.value.phase, completedAt: r.value.completedAt }) : r
    },
  },
  {
    method: 'POST', pattern: path(`${C}/questions`), role: 'supervisor', body: AskBodySchema,
    handle: (ctx) => done(questionAnswerView(ctx.plane.ask(ctx.caller, b(ctx)))),
  },
  // ── Tasks of the supervisor's contract ──
  { method: 'GET', pattern: path(`/api/v1/mesh/tasks/${T}`), role: 'supervisor', handle: (ctx) => withTarget(ctx, (t) => done(taskView(t))) },
  {
    method: 'GET', pattern: path(`/api/v1/mesh/tasks/${T}/wait`), role: 'supervisor',
    handle: (ctx) =>
      withTarget(ctx, async (t) => {
        const s = seconds(ctx, 'timeout')
        if (!s.ok) return s
        const after = await ctx.plane.waitForTask(t.id, Math.min(s.value * 1000, ctx.maxWaitMs), ctx.signal)
        return done(taskView(after ?? t))
      }),
  },
  { method: 'GET', pattern: path(`/api/v1/mesh/tasks/${T}/output`), role: 'supervisor', handle: (ctx) => withTarget(ctx, (t) => done(ctx.plane.taskOutput(t.id))) },
  { method: 'GET', pattern: path(`/api/v1/mesh/tasks/${T}/diff`), role: 'supervisor', handle: (ctx) => withTarget(ctx, (t) => sup.diff(t)) },
  {
    method: 'GET', pattern: path(`/api/v1/mesh/tasks/${T}/file`), role: 'supervisor',
    handle: (ctx) => withTarget(ctx, (t) => {
      const p = ctx.query.get('path')
      return p ? sup.readTaskFile(t, p) : fail('bad-request', '?path is required')
    }),
  },
  { method: 'GET', pattern: path(`/api/v1/mesh/tasks/${T}/checkpoints`), role: 'supervisor', handle: (ctx) => withTarget(ctx, (t) => sup.checkpoints(ctx.plane, t)) },
  // ── Questions (the asker polls its own) ──
  {
    method: 'GET', pattern: path('/api/v1/questions/(?<qid>[^/]+)'), role: 'any',
    handle: async (ctx) => {
      const q = ctx.plane.ownQuestion(ctx.caller, ctx.params.qid!)
      if (!q.ok) return q
      const s = seconds(ctx, 'wait')
      if (!s.ok) return s
      const after = await ctx.plane.questions.wait(q.value.id, Math.min(s.value * 1000, ctx.maxWaitMs), ctx.signal)
      return done(questionAnswerView(after ?? q.value))
    },
  },
  // ── Any task of the contract ──
  { method: 'GET', pattern: path(C), role: 'member', handle: (ctx) => ctx.plane.status(cid(ctx)) },
  { method: 'GET', pattern: path(`${C}/checklist`), role: 'member', handle: (ctx) => contractOps.checklist(ctx.plane, cid(ctx)) },
  { method: 'GET', pattern: path(`${C}/files`), role: 'member', handle: (ctx) => contractOps.listFiles(ctx.plane, cid(ctx)) },
  { method: 'GET', pattern: path(`${C}/files/(?<fid>[^/]+)`), role: 'member', handle: (ctx) => contractOps.readFile(ctx.plane, cid(ctx), ctx.params.fid!) },
  {
    method: 'POST', pattern: path(`${C}/files`), role: 'member', body: FileCreateBodySchema,
    handle: (ctx) => contractOps.createFile(ctx.plane, ctx.caller, cid(ctx), b<{ name: string }>(ctx).name, b<{ content: string }>(ctx).content),
  },
  {
    method: 'PUT', pattern: path(`${C}/files/(?<fid>[^/]+)`), role: 'member', body: FileUpdateBodySchema,
    handle: (ctx) => contractOps.updateFile(ctx.plane, cid(ctx), ctx.params.fid!, b<{ content: string }>(ctx).content),
  },
  { method: 'POST', pattern: path(`${C}/reports`), role: 'member', body: ReportBodySchema, handle: (ctx) => contractOps.report(ctx.plane, ctx.caller, cid(ctx), b<{ text: string }>(ctx).text) },
  { method: 'GET', pattern: path(`${C}/suggest-action`), role: 'member', handle: (ctx) => contractOps.suggestAction(ctx.plane, ctx.caller, cid(ctx)) },
  {
    method: 'POST', pattern: path(`${C}/completion-action`), role: 'member', body: CompletionBodySchema,
    handle: (ctx) => {
      const body = b<{ files: string[]; code: boolean }>(ctx)
      return contractOps.completionAction(ctx.plane, ctx.caller, cid(ctx), body.files, body.code)
    },
  },
  // ── Orchestrator ──
  { method: 'GET', pattern: path('/api/v1/orchestrator/subtasks'), role: 'orchestrator', handle: (ctx) => orch.list(ctx.plane, ctx.caller) },
  { method: 'POST', pattern: path('/api/v1/orchestrator/subtasks'), role: 'orchestrator', body: SubtaskBodySchema, handle: (ctx) => orch.create(ctx.plane, ctx.caller, b(ctx)) },
  { method: 'GET', pattern: path(`/api/v1/orchestrator/subtasks/${T}`), role: 'orchestrator', handle: (ctx) => orch.status(ctx.plane, ctx.caller, ctx.params.tid!) },
  { method: 'POST', pattern: path(`/api/v1/orchestrator/subtasks/${T}/start`), role: 'orchestrator', body: EmptyBodySchema, handle: (ctx) => orch.start(ctx.plane, ctx.caller, ctx.params.tid!) },
  { method: 'POST', pattern: path(`/api/v1/orchestrator/subtasks/${T}/stop`), role: 'orchestrator', body: EmptyBodySchema, handle: (ctx) => orch.stop(ctx.plane, ctx.caller, ctx.params.tid!) },
  { method: 'GET', pattern: path(`/api/v1/orchestrator/subtasks/${T}/output`), role: 'orchestrator', handle: (ctx) => orch.output(ctx.plane, ctx.caller, ctx.params.tid!) },
  { method: 'GET', pattern: path(`/api/v1/orchestrator/subtasks/${T}/worktree`), role: 'orchestrator', handle: (ctx) => orch.worktree(ctx.plane, ctx.caller, ctx.params.tid!) },
  { method: 'POST', pattern: path('/api/v1/orchestrator/done'), role: 'orchestrator', body: DoneBodySchema, handle: (ctx) => orch.finish(ctx.plane, ctx.caller, b<{ summary: string }>(ctx).summary) },
]

/** Whether the caller holds the route's role (and, for contract routes, belongs to that contract). */
export function authorize(plane: ControlPlane, caller: Caller, role: Role, params: Record<string, string>): Op<void> {
  const t = caller.task
  if (params.cid !== undefined && t.contractId !== params.cid) return fail('forbidden', 'This key belongs to another contract')
  switch (role) {
    case 'any':
      return done(undefined)
    case 'member':
      return t.contractId ? done(undefined) : fail('forbidden', 'This task is not part of a contract')
    case 'orchestrator':
      return t.isOrchestrator ? done(undefined) : fail('forbidden', 'Only an orchestrator task may use orchestrate commands')
    case 'supervisor': {
      const c = t.contractId ? plane.contracts.get(t.contractId) : undefined
      if (!t.isSupervisor || !c || c.supervisorTaskId !== t.id) return fail('forbidden', "Only the contract's supervisor may use supervisor commands")
      return done(undefined)
    }
  }
}
