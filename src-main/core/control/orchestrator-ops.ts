// `./.makima/orchestrate.sh …`: an orchestrator plans subtasks (create), starts and stops them,
// follows them (status, output, worktree) and says when it is done. A created subtask waits in
// planned_tasks until `start`; it then runs from the orchestrator's repository and base branch,
// optionally continuing from a sibling's worktree and with files copied from the orchestrator's.
import { randomUUID } from 'node:crypto'
import type { TaskRecord } from '../store/task-repository'
import type { Caller, ControlPlane } from './plane'
import type { PlannedTask } from './records-repository'
import { done, fail, type Op } from './result'
import { taskView } from './views'

export interface CreateSubtaskBody {
  name: string
  plan: string
  continueFrom?: string
  files?: string[]
}

function plannedView(p: PlannedTask, t: TaskRecord | undefined): Record<string, unknown> {
  const base = { taskId: p.id, name: p.name, continueFromTaskId: p.continueFromId, files: p.files ?? [] }
  if (t) return { ...taskView(t), ...base }
  return { ...base, status: 'pending', isTerminal: false, worktreePath: null, worktree_path: null, createdAt: p.createdAt }
}

/** A subtask of this orchestrator: planned by it, or a running task whose parent it is. */
function ownSubtask(plane: ControlPlane, caller: Caller, id: string): Op<{ planned?: PlannedTask; task?: TaskRecord }> {
  const planned = plane.planned.get(id)
  const task = plane.task(id)
  if (!planned && !task) return fail('not-found', `Subtask ${id} not found`)
  const parent = planned?.parentTaskId ?? task?.parentTaskId
  if (parent !== caller.taskId) return fail('forbidden', `Task ${id} is not a subtask of this orchestrator`)
  return done({ planned, task })
}

export function list(plane: ControlPlane, caller: Caller): Op<unknown[]> {
  const planned = plane.planned.forParent(caller.taskId)
  const known = new Set(planned.map((p) => p.id))
  const views = planned.map((p) => plannedView(p, plane.task(p.id)))
  for (const t of plane.tasksWhere((t) => t.parentTaskId === caller.taskId && !known.has(t.id))) views.push(taskView(t) as unknown as Record<string, unknown>)
  return done(views)
}

export function create(plane: ControlPlane, caller: Caller, body: CreateSubtaskBody): Op<{ taskId: string }> {
  if (body.continueFrom) {
    const from = ownSubtask(plane, caller, body.continueFrom)
    if (!from.ok) return from.code === 'not-found' ? fail('not-found', `--continue-from: task ${body.continueFrom} not found`) : from
  }
  const p = plane.planned.add({
    id: randomUUID(), parentTaskId: caller.taskId, name: body.name, plan: body.plan, continueFromId: body.continueFrom ?? null,
    files: body.files?.length ? body.files : null,
  })
  return done({ taskId: p.id })
}

export async function start(plane: ControlPlane, caller: Caller, id: string): Promise<Op<Record<string, unknown>>> {
  const own = ownSubtask(plane, caller, id)
  if (!own.ok) return own
  const { planned, task } = own.value
  if (task) return fail('conflict', `Subtask ${id} was already started (${task.state})`)
  const p = planned!
  const o = caller.task
  const r = await plane.opts.tasks.spawn({
    taskId: p.id, taskName: p.name, plan: p.plan, parentTaskId: o.id, depth: o.depth + 1,
    ...(o.repoUrl ? { repoUrl: o.repoUrl } : {}), ...(o.baseBranch ? { baseBranch: o.baseBranch } : {}),
    ...(o.contractId ? { contractId: o.contractId } : {}),
    ...(p.continueFromId ? { continueFromTaskId: p.continueFromId } : {}), ...(p.files ? { copyFiles: p.files } : {}),
  })
  if (!r.ok) return fail(r.code === 'invalid-request' ? 'bad-request' : 'unavailable', r.message)
  plane.planned.markStarted(p.id)
  return done({ success: true, taskId: p.id, status: plane.task(p.id)?.state ?? 'initializing' })
}

export async function stop(plane: ControlPlane, caller: Caller, id: string): Promise<Op<Record<string, unknown>>> {
  const own = ownSubtask(plane, caller, id)
  if (!own.ok) return own
  if (!own.value.task) return fail('conflict', `Subtask ${id} has not been started`)
  const r = await plane.opts.tasks.interrupt(id, 'Stopped by the orchestrator')
  if (!r.ok) return fail('conflict', r.message)
  return done({ success: true, taskId: id, status: plane.task(id)?.state ?? 'interrupted' })
}

export function status(plane: ControlPlane, caller: Caller, id: string): Op<Record<string, unknown>> {
  const own = ownSubtask(plane, caller, id)
  if (!own.ok) return own
  const { planned, task } = own.value
  return done(planned ? plannedView(planned, task) : (taskView(task!) as unknown as Record<string, unknown>))
}

export function worktree(plane: ControlPlane, caller: Caller, id: string): Op<{ taskId: string; worktreePath: string }> {
  const own = ownSubtask(plane, caller, id)
  if (!own.ok) return own
  const path = own.value.task?.worktreePath
  if (!path) return fail('conflict', `Subtask ${id} has no worktree yet (${own.value.task?.state ?? 'not started'})`)
  return done({ taskId: id, worktreePath: path })
}

export function output(plane: ControlPlane, caller: Caller, id: string): Op<unknown> {
  const own = ownSubtask(plane, caller, id)
  if (!own.ok) return own
  return done(plane.taskOutput(id))
}

export function finish(plane: ControlPlane, caller: Caller, summary: string): Op<Record<string, unknown>> {
  const r = plane.contracts.addReport({ contractId: caller.task.contractId, taskId: caller.taskId, kind: 'done', text: summary })
  const open = plane.tasksWhere((t) => t.parentTaskId === caller.taskId && ['initializing', 'starting', 'running', 'paused'].includes(t.state))
  return done({
    success: true, taskId: caller.taskId, summary, reportedAt: r.createdAt,
    stillRunning: open.map((t) => t.id),
    message: open.length ? `Recorded. ${open.length} subtask(s) are still running.` : 'Recorded. End your turn now; your worktree holds the integrated work.',
  })
}
