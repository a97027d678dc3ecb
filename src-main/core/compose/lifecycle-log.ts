// Lifecycle events the state-change line (engine.ts) does not tell, at info level with the task's
// name and id: the outcome of a completion action (merge, branch, PR).
import type { Logger } from '../log/logger'
import type { TaskManager } from '../tasks/manager'

export function logTaskLifecycle(manager: TaskManager, log: Logger): () => void {
  return manager.onEvent((e) => {
    if (e.type !== 'completionActionResult') return
    log.info('task completion action', { taskId: e.taskId, name: manager.get(e.taskId)?.name ?? null, success: e.success, message: e.message })
  })
}
