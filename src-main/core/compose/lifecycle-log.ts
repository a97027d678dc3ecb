// Every task lifecycle event at info level, named and numbered ("which task?" answered in the log
// itself): state changes, ends and failures, completion actions.
import type { Logger } from '../log/logger'
import type { TaskManager } from '../tasks/manager'

export function logTaskLifecycle(manager: TaskManager, log: Logger): () => void {
  return manager.onEvent((e) => {
    if (e.type !== 'taskStatusChange' && e.type !== 'taskComplete' && e.type !== 'completionActionResult') return
    const who = { taskId: e.taskId, name: manager.get(e.taskId)?.name ?? null }
    switch (e.type) {
      case 'taskStatusChange':
        log.info('task state', { ...who, from: e.oldStatus, to: e.newStatus })
        break
      case 'taskComplete':
        if (e.success) log.info('task ended', who)
        else log.info('task failed', { ...who, error: e.error ?? null })
        break
      case 'completionActionResult':
        log.info('task completion action', { ...who, success: e.success, message: e.message })
        break
    }
  })
}
