// Small builders the manager uses: the stored record of a spawn request, a managed task rebuilt
// from the record of a task that ended in an earlier run of the core, and an agent's environment.
import { claudeAgentEnv, type AgentEnvResult } from '../agents/adapters/claude'
import type { TaskRecord } from '../store/task-repository'
import type { Slot } from './concurrency'
import type { ManagedTask } from './host'
import { isTerminal } from './state'
import { parseSpawnTask, type SpawnTaskRequest } from './types'
import { delimiter } from 'node:path'

export function recordFor(req: SpawnTaskRequest, previous: TaskRecord | undefined, now: string): TaskRecord {
  // The stored request serves re-spawn and recovery; a patch is large and used once, so it is left out.
  const { patchData: _patch, ...spawn } = req
  return {
    id: req.taskId, name: req.taskName, state: 'initializing', plan: req.plan, repoUrl: req.repoUrl ?? null,
    baseBranch: req.baseBranch ?? null, targetBranch: req.targetBranch ?? null, targetRepoPath: req.targetRepoPath ?? null,
    completionAction: req.completionAction ?? null, parentTaskId: req.parentTaskId ?? null, depth: req.depth,
    contractId: req.contractId ?? null, continueFromTaskId: req.continueFromTaskId ?? null, copyFiles: req.copyFiles ?? null,
    isOrchestrator: req.isOrchestrator, isSupervisor: req.isSupervisor, autonomousLoop: req.autonomousLoop,
    worktreePath: previous?.worktreePath ?? null, agentSessionId: previous?.agentSessionId ?? null,
    patchBaseSha: req.patchBaseSha ?? null, spawnJson: JSON.stringify(spawn), errorMessage: null, exitCode: null,
    createdAt: previous?.createdAt ?? now, startedAt: null, completedAt: null, updatedAt: now,
    ...(req.agent ? { agent: req.agent } : {}),
  }
}

/** A task the manager starts now for `req` (the previous record keeps its worktree and session). */
export function newManagedTask(req: SpawnTaskRequest, previous: TaskRecord | undefined, slot: Slot): ManagedTask {
  return {
    id: req.taskId, req, state: 'initializing', dir: null, isRepo: false, workspace: null,
    sessionId: previous?.agentSessionId ?? null, agent: null, slot, interrupted: null, run: null,
    queuedMessages: [], timings: { spawnedAt: Date.now(), lines: 0 },
    record: recordFor(req, previous, new Date().toISOString()),
  }
}

/** A task that ended before this core started (so a follow-up message can continue it); undefined
 * for an active task (recovery's business) or a record without a readable spawn request. */
export function endedTaskFromRecord(row: TaskRecord | undefined): ManagedTask | undefined {
  if (!row || !isTerminal(row.state) || !row.spawnJson) return undefined
  let input: unknown
  try {
    input = JSON.parse(row.spawnJson)
  } catch {
    return undefined
  }
  const parsed = parseSpawnTask(input)
  if (!parsed.ok) return undefined
  return {
    id: row.id, req: parsed.value, state: row.state, dir: row.worktreePath, isRepo: !!row.repoUrl, workspace: null,
    sessionId: row.agentSessionId, agent: null, slot: null, interrupted: null, run: null, queuedMessages: [],
    timings: { spawnedAt: Date.now(), lines: 0 }, record: row,
  }
}

/** The agent's whole environment: the base (never the daemon's own MAKIMA_* values), MAKIMA_API_URL
 * when the task has tool access, the task's values, the extra PATH entry, then Claude Code's rules. */
export function buildAgentEnv(o: {
  baseEnv: Record<string, string | undefined>
  taskEnv: Record<string, string>
  apiUrl: string
  extraPathDir?: string | undefined
  enablePermissions?: boolean | undefined
}): AgentEnvResult {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(o.baseEnv)) {
    if (v !== undefined && !k.startsWith('MAKIMA_')) env[k] = v
  }
  if (Object.keys(o.taskEnv).length) env.MAKIMA_API_URL = o.apiUrl
  Object.assign(env, o.taskEnv)
  if (o.extraPathDir) env.PATH = env.PATH ? `${o.extraPathDir}${delimiter}${env.PATH}` : o.extraPathDir
  return claudeAgentEnv(env, { enablePermissions: o.enablePermissions })
}
