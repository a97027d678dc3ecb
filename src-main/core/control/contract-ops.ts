// `makima contract …`: what any task of a contract may do — read its status, checklist and
// documents, report progress, write documents, and ask what to do next.
import { randomUUID } from 'node:crypto'
import type { ContractFileRecord } from './contract-repository'
import { PHASE_DELIVERABLES } from './phases'
import type { Caller, ControlPlane } from './plane'
import { done, fail, type Op } from './result'

const fileView = (f: ContractFileRecord) => ({ id: f.id, name: f.name, size: f.content.length, createdBy: f.createdBy, createdAt: f.createdAt, updatedAt: f.updatedAt })

export function checklist(plane: ControlPlane, contractId: string): Op<Record<string, unknown>> {
  const c = plane.contracts.get(contractId)
  if (!c) return fail('not-found', `Contract ${contractId} not found`)
  const tasks = plane.tasksWhere((t) => t.contractId === contractId && !t.isSupervisor)
  const finished = tasks.filter((t) => t.state === 'completed')
  const merged = new Set(plane.merges.forOwner(contractId).filter((m) => m.kind === 'merged').map((m) => m.taskId))
  const files = plane.contracts.listFiles(contractId)
  const prs = plane.merges.pullRequests(contractId)
  const named = (word: string) => files.some((f) => f.name.toLowerCase().includes(word))
  const state: Record<string, boolean> = {
    'Record findings in a contract file': files.length > 0,
    'Write the specification as a contract file': named('spec'),
    'Write the implementation plan as a contract file': named('plan'),
    'Break the work into tasks': tasks.length > 0,
    'Spawn tasks and wait for each': tasks.length > 0 && tasks.every((t) => ['completed', 'failed', 'interrupted'].includes(t.state)),
    'Merge every finished task into the contract branch': finished.length > 0 && finished.every((t) => merged.has(t.id)),
    'Open the pull request': prs.length > 0,
    'Review the merged work and the pull request': prs.length > 0,
    'Complete the contract': c.status === 'completed',
  }
  const items = PHASE_DELIVERABLES[c.phase].map((item) => ({ item, done: state[item] ?? false }))
  return done({ contractId: c.id, phase: c.phase, items, allDone: items.every((i) => i.done) })
}

export function listFiles(plane: ControlPlane, contractId: string): Op<unknown[]> {
  if (!plane.contracts.get(contractId)) return fail('not-found', `Contract ${contractId} not found`)
  return done(plane.contracts.listFiles(contractId).map(fileView))
}

export function readFile(plane: ControlPlane, contractId: string, fileId: string): Op<Record<string, unknown>> {
  const f = plane.contracts.getFile(contractId, fileId)
  return f ? done({ ...fileView(f), content: f.content }) : fail('not-found', `File ${fileId} not found in this contract`)
}

export function createFile(plane: ControlPlane, caller: Caller, contractId: string, name: string, content: string): Op<Record<string, unknown>> {
  if (!plane.contracts.get(contractId)) return fail('not-found', `Contract ${contractId} not found`)
  const f = plane.contracts.addFile({ id: randomUUID(), contractId, name, content, createdBy: caller.taskId })
  return done({ success: true, ...fileView(f) })
}

export function updateFile(plane: ControlPlane, contractId: string, fileId: string, content: string): Op<Record<string, unknown>> {
  const f = plane.contracts.updateFile(contractId, fileId, content)
  return f ? done({ success: true, ...fileView(f) }) : fail('not-found', `File ${fileId} not found in this contract`)
}

export function report(plane: ControlPlane, caller: Caller, contractId: string, text: string): Op<Record<string, unknown>> {
  if (!plane.contracts.get(contractId)) return fail('not-found', `Contract ${contractId} not found`)
  const r = plane.contracts.addReport({ contractId, taskId: caller.taskId, kind: 'report', text })
  return done({ success: true, reportId: r.seq, createdAt: r.createdAt })
}

export function suggestAction(plane: ControlPlane, caller: Caller, contractId: string): Op<Record<string, unknown>> {
  const c = plane.contracts.get(contractId)
  if (!c) return fail('not-found', `Contract ${contractId} not found`)
  if (caller.task.isSupervisor) {
    const list = checklist(plane, contractId)
    const open = list.ok ? (list.value.items as { item: string; done: boolean }[]).filter((i) => !i.done).map((i) => i.item) : []
    return done({ action: open.length ? 'work' : c.phase === 'execute' || c.phase === 'review' ? 'complete' : 'advance-phase', phase: c.phase, open })
  }
  return done({
    action: 'finish',
    phase: c.phase,
    message: 'Finish your task in your worktree and end your turn; the supervisor reviews and merges your work. Record documents with create-file or update-file and progress with report.',
  })
}

export function completionAction(plane: ControlPlane, caller: Caller, contractId: string, files: string[], code: boolean): Op<Record<string, unknown>> {
  if (!plane.contracts.get(contractId)) return fail('not-found', `Contract ${contractId} not found`)
  const text = code ? `Completed with code changes${files.length ? ` in ${files.join(', ')}` : ''}` : 'Completed'
  plane.contracts.addReport({ contractId, taskId: caller.taskId, kind: 'completion', text, data: { files, code } })
  const recommendedAction = caller.task.isSupervisor ? 'pr' : code ? 'merge' : 'none'
  const message = caller.task.isSupervisor
    ? 'Open the pull request for the contract branch, then complete the contract or advance to review.'
    : code
      ? 'Your changes stay in your worktree; the supervisor will review and merge them. End your turn now.'
      : 'Nothing to merge. End your turn now.'
  return done({ success: true, recommendedAction, message, files, code })
}
