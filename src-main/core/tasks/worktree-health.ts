// The periodic health check: a running or starting task whose worktree vanished is interrupted
// and reported (taskComplete false) so the server can restore it from a checkpoint.
import type { Logger } from '../log/logger'
import type { ManagedTask } from './host'
import type { WorkspacePort } from './ports'
import type { CommandResult } from './state'
import type { TaskEvent } from './types'

export async function checkWorktreeHealth(
  tasks: readonly ManagedTask[],
  deps: { workspace: WorkspacePort; log: Logger; emit(e: TaskEvent): void; interrupt(taskId: string, reason: string): Promise<CommandResult> },
): Promise<string[]> {
  const hit: string[] = []
  for (const t of tasks) {
    if ((t.state !== 'running' && t.state !== 'starting') || !t.dir || t.interrupted) continue
    if (await deps.workspace.isIntact(t.dir, t.isRepo)) continue
    hit.push(t.id)
    deps.log.warn('worktree vanished; interrupting task', { taskId: t.id, dir: t.dir })
    deps.emit({ type: 'taskComplete', taskId: t.id, success: false, error: 'Worktree deleted - task interrupted for recovery' })
    await deps.interrupt(t.id, 'Worktree directory was deleted')
  }
  return hit
}
