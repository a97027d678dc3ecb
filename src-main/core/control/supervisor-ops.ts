// `makima supervisor …`: a contract's supervisor spawns tasks, inspects them, and drives git —
// the contract branch, merges of finished tasks into it, checkpoints and the pull request. Git
// work happens through the git engine in the supervisor's own worktree (the contract branch is
// checked out there, so merges land in it and the pull request is opened from it).
import { randomUUID } from 'node:crypto'
import { stat } from 'node:fs/promises'
import {
  createBranch, createCheckpoint, createPullRequest, currentBranch, detectDefaultBranch, getTaskDiff, InvalidRefError, mergeTaskToTarget,
  readRepoFile, worktreeWithBranch,
} from '../git'
import type { TaskRecord } from '../store/task-repository'
import { ACTIVE_STATES } from '../../../src-preload/contract'
import type { Caller, ControlPlane } from './plane'
import { sameRepository } from './repo-scope'
import { AGENT_NAMES } from '../../../src-preload/contract'
import { done, fail, type Op } from './result'
import { taskView, type TaskView } from './views'

export interface SpawnBody {
  name: string
  plan: string
  parentTaskId?: string
  checkpointSha?: string
  repoUrl?: string
  agent?: string
}

const errMessage = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** Git failures become values: a bad ref name is the caller's mistake, anything else a failure. */
type Json = Record<string, unknown>

async function gitOp(what: string, f: () => Promise<Op<Json>>): Promise<Op<Json>> {
  try {
    return await f()
  } catch (e) {
    if (e instanceof InvalidRefError) return fail('bad-request', `${what}: ${errMessage(e)}`)
    return fail('failed', `${what} failed: ${errMessage(e)}`)
  }
}

async function worktreeOf(t: TaskRecord): Promise<Op<string>> {
  if (!t.worktreePath) return fail('conflict', `Task ${t.id} has no worktree yet (${t.state})`)
  const s = await stat(t.worktreePath).catch(() => null)
  return s?.isDirectory() ? done(t.worktreePath) : fail('conflict', `The worktree of task ${t.id} no longer exists (${t.worktreePath})`)
}

export async function spawn(plane: ControlPlane, caller: Caller, contractId: string, body: SpawnBody): Promise<Op<Record<string, unknown>>> {
  const c = plane.contracts.get(contractId)
  if (!c) return fail('not-found', `Contract ${contractId} not found`)
  if (c.status === 'completed') return fail('conflict', 'The contract is completed; no new tasks can be spawned')
  let parent = caller.task
  if (body.parentTaskId) {
    const p = plane.visibleTask(caller, body.parentTaskId)
    if (!p.ok) return p
    parent = p.value
  }
  // The contract's repository is the supervisor's whole scope.
  const scope = c.repoUrl ?? caller.task.repoUrl ?? null
  if (body.repoUrl !== undefined && (scope === null || !(await sameRepository(body.repoUrl, scope)))) {
    return fail('forbidden', `A supervisor spawns tasks only in its contract's repository (${scope ?? 'none'}); ${body.repoUrl} is another repository. Leave out --repo to use the contract's.`)
  }
  const known = plane.opts.knownAgent ?? ((n: string) => (AGENT_NAMES as readonly string[]).includes(n))
  if (body.agent && !known(body.agent)) return fail('bad-request', `No agent named ${body.agent} is configured (built-in: ${AGENT_NAMES.join(', ')}; custom agents: [agent.<name>] in the config)`)
  const taskId = randomUUID()
  const repoUrl = scope ?? undefined
  const r = await plane.opts.tasks.spawn({
    taskId, taskName: body.name, plan: body.plan, contractId, parentTaskId: parent.id, depth: parent.depth + 1,
    ...(repoUrl ? { repoUrl } : {}),
    ...(body.agent ? { agent: body.agent } : {}),
    ...(body.checkpointSha ? { baseBranch: body.checkpointSha } : caller.task.baseBranch ? { baseBranch: caller.task.baseBranch } : {}),
  })
  if (!r.ok) return fail(r.code === 'invalid-request' ? 'bad-request' : 'unavailable', r.message)
  return done({ taskId, name: body.name, status: plane.task(taskId)?.state ?? 'initializing', contractId, parentTaskId: parent.id })
}

export function tree(plane: ControlPlane, contractId: string): Op<unknown> {
  const all = plane.contractTasks(contractId)
  type Node = TaskView & { children: Node[] }
  const nodes = new Map<string, Node>(all.map((t) => [t.taskId, { ...t, children: [] }]))
  const roots: Node[] = []
  for (const n of nodes.values()) {
    const p = n.parentTaskId ? nodes.get(n.parentTaskId) : undefined
    if (p) p.children.push(n)
    else roots.push(n)
  }
  return done({ contractId, tasks: roots })
}

export async function diff(target: TaskRecord): Promise<Op<Record<string, unknown>>> {
  const wt = await worktreeOf(target)
  if (!wt.ok) return wt
  return gitOp('diff', async () => {
    const base = target.baseBranch ?? (await detectDefaultBranch(wt.value)) ?? 'main'
    const d = await getTaskDiff({ worktree: wt.value, baseBranch: base })
    switch (d.kind) {
      case 'uncommitted':
        return done({ taskId: target.id, kind: d.kind, files: d.files, diff: d.diff })
      case 'commits':
        return done({ taskId: target.id, kind: d.kind, base: d.base, commitCount: d.commitCount, diff: d.diff })
      case 'empty':
        return done({ taskId: target.id, kind: d.kind, diff: '' })
      case 'base-missing':
        return fail('conflict', `The base branch ${d.baseBranch} of task ${target.id} was not found`)
      case 'too-large':
        return fail('conflict', `The diff of task ${target.id} is larger than ${d.limitBytes} bytes; look at its worktree with git instead`)
    }
  })
}

export async function readTaskFile(target: TaskRecord, path: string): Promise<Op<Record<string, unknown>>> {
  const wt = await worktreeOf(target)
  if (!wt.ok) return wt
  const r = await readRepoFile({ repoPath: wt.value, filePath: path })
  switch (r.kind) {
    case 'content':
      return done({ taskId: target.id, path, size: r.size, content: r.content })
    case 'not-found':
      return fail('not-found', `${path} does not exist in the worktree of task ${target.id}`)
    case 'outside-repo':
      return fail('forbidden', `${path} is outside the task's worktree`)
    case 'not-a-file':
      return fail('bad-request', `${path} is not a file`)
    case 'too-large':
      return fail('bad-request', `${path} is ${r.size} bytes; at most ${r.maxBytes} can be read`)
  }
}

export async function branch(caller: Caller, name: string, from?: string): Promise<Op<Record<string, unknown>>> {
  const wt = await worktreeOf(caller.task)
  if (!wt.ok) return wt
  return gitOp('branch', async () => {
    const r = await createBranch({ worktree: wt.value, name, fromRef: from ?? null })
    switch (r.kind) {
      case 'created':
        return done({ success: true, branch: r.branch, sha: r.sha, created: true })
      case 'exists':
        return done({ success: true, branch: r.branch, created: false, message: `Branch ${r.branch} already exists` })
      case 'from-missing':
        return fail('not-found', `--from ${r.fromRef} does not name a commit`)
    }
  })
}

export async function merge(plane: ControlPlane, caller: Caller, target: TaskRecord, to: string | undefined, squash: boolean): Promise<Op<Record<string, unknown>>> {
  if (target.isSupervisor) return fail('bad-request', 'A supervisor cannot be merged; merge the tasks it spawned')
  if (ACTIVE_STATES.includes(target.state)) return fail('conflict', `Task ${target.id} is still ${target.state}; wait for it first`)
  const wt = await worktreeOf(target)
  if (!wt.ok) return wt
  const contract = caller.task.contractId ? plane.contracts.get(caller.task.contractId) : undefined
  return gitOp('merge', async () => {
    const into = to ?? contract?.targetBranch ?? (await detectDefaultBranch(wt.value)) ?? 'main'
    const r = await mergeTaskToTarget({ worktree: wt.value, taskId: target.id, targetBranch: into, squash, tempDir: plane.opts.tempDir })
    switch (r.kind) {
      case 'merged':
      case 'up-to-date': {
        plane.merges.record({ ownerId: contract?.id ?? caller.taskId, taskId: target.id, kind: 'merged', sourceBranch: r.sourceBranch, targetBranch: into, sha: r.sha, squash })
        return done({ success: true, taskId: target.id, sourceBranch: r.sourceBranch, targetBranch: into, sha: r.sha, upToDate: r.kind === 'up-to-date', squash })
      }
      case 'conflicts':
        return fail('conflict', `Merging task ${target.id} into ${into} conflicts in: ${r.files.join(', ')}. Nothing was changed; spawn a task to reconcile the work.`)
      case 'target-missing':
        return fail('not-found', `Branch ${r.branch} does not exist; create it with: makima supervisor branch "${r.branch}"`)
      case 'source-missing':
        return fail('not-found', `The branch of task ${target.id} (${r.branch}) does not exist`)
      case 'target-busy':
        return fail('conflict', r.message)
      case 'detached-head':
        return fail('conflict', `The worktree of task ${target.id} is on a detached HEAD`)
      case 'same-branch':
        return fail('bad-request', `Task ${target.id} is already on ${r.branch}`)
    }
  })
}

export async function pullRequest(
  plane: ControlPlane, caller: Caller, input: { branch: string; title: string; body?: string; base?: string },
): Promise<Op<Record<string, unknown>>> {
  const own = await worktreeOf(caller.task)
  if (!own.ok) return own
  return gitOp('pr', async () => {
    // The skill doc passes a task id where the prompt passes a branch: accept both.
    const asTask = /^[0-9a-f-]{36}$/i.test(input.branch) ? plane.visibleTask(caller, input.branch) : null
    let worktree: string
    if (asTask?.ok) {
      const wt = await worktreeOf(asTask.value)
      if (!wt.ok) return wt
      worktree = wt.value
    } else if ((await currentBranch(own.value)) === input.branch) {
      worktree = own.value
    } else {
      const holder = await worktreeWithBranch(own.value, input.branch)
      if (!holder) return fail('not-found', `Branch ${input.branch} is not checked out anywhere; create it with: makima supervisor branch "${input.branch}"`)
      worktree = holder.path
    }
    const contract = caller.task.contractId ? plane.contracts.get(caller.task.contractId) : undefined
    const base = input.base ?? contract?.targetBranch ?? (await detectDefaultBranch(worktree)) ?? 'main'
    const r = await createPullRequest({ worktree, title: input.title, body: input.body ?? '', base, ghCommand: plane.opts.gh?.command, env: plane.opts.gh?.env })
    if (r.kind !== 'created') return fail(r.kind === 'gh-failed' || r.kind === 'push-failed' ? 'failed' : 'unavailable', r.message)
    plane.merges.addPullRequest({ contractId: contract?.id ?? null, taskId: caller.taskId, url: r.url, number: r.number, branch: r.branch, base, title: input.title })
    return done({ success: true, url: r.url, number: r.number, branch: r.branch, base })
  })
}

export async function checkpoint(plane: ControlPlane, caller: Caller, message: string): Promise<Op<Record<string, unknown>>> {
  const wt = await worktreeOf(caller.task)
  if (!wt.ok) return wt
  return gitOp('checkpoint', async () => {
    const r = await createCheckpoint({ worktree: wt.value, message })
    if (r.kind === 'no-changes') return done({ success: true, created: false, message: 'No changes to checkpoint' })
    if (r.kind === 'busy') return fail('conflict', `A ${r.operation} is in progress in the worktree; finish or abort it first`)
    plane.checkpoints.add({
      taskId: caller.taskId, contractId: caller.task.contractId, sha: r.sha, branch: r.branch, message, linesAdded: r.linesAdded,
      linesRemoved: r.linesRemoved, files: r.files.map((f) => ({ action: f.action, path: f.path })),
    })
    return done({ success: true, created: true, sha: r.sha, branch: r.branch, message, linesAdded: r.linesAdded, linesRemoved: r.linesRemoved, files: r.files })
  })
}

export function checkpoints(plane: ControlPlane, target: TaskRecord): Op<unknown> {
  return done({ taskId: target.id, checkpoints: plane.checkpoints.forTask(target.id) })
}

export function taskWithView(t: TaskRecord): Op<TaskView> {
  return done(taskView(t))
}
