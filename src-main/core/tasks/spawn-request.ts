// A spawn request as it enters the manager: validated (zod), given the configured default agent
// when it names none, and checked against worktree.allowed_roots. Refusals are values.
import { checkRequestRoots } from './allowed-roots'
import type { TaskManagerOptions } from './manager-options'
import { refuse, type CommandResult } from './state'
import { parseSpawnTask, type SpawnTaskRequest } from './types'

export async function acceptSpawnRequest(
  input: unknown, opts: Pick<TaskManagerOptions, 'defaultAgent' | 'allowedRoots'>,
): Promise<CommandResult<SpawnTaskRequest>> {
  const parsed = parseSpawnTask(input)
  if (!parsed.ok) return refuse('invalid-request', parsed.message)
  const req = parsed.value
  if (!req.agent && opts.defaultAgent && opts.defaultAgent !== 'claude') req.agent = opts.defaultAgent
  const outside = await checkRequestRoots(req, opts.allowedRoots ?? [])
  if (outside) return refuse('invalid-request', outside)
  return { ok: true, value: req }
}
