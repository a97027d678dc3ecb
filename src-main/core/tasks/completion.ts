// The end of a run: the final state, the completion action, taskComplete, the tool key and the
// concurrency slot. Supervisors never complete: they go back to `running` and wait for the next
// message. On shutdown nothing is finalised, so the next start finds the task and offers it for
// resume. Messages that arrived meanwhile are the manager's business once the run is over.
import type { ManagedTask, RunHost } from './host'
import { SUPERVISOR_READY_NOTICE } from './prompts'
import { assertNever, type TaskOutcome } from './state'

export interface FinishHooks {
  /** Revokes the task's tool key (announcing revokeToolKey when there was one). */
  revokeToolKey(task: ManagedTask): void
}

export async function finishRun(host: RunHost, t: ManagedTask, outcome: TaskOutcome, hooks: FinishHooks): Promise<void> {
  t.timings.endedAt = Date.now()
  const now = new Date().toISOString()
  try {
    if (host.shuttingDown()) return

    // A supervisor whose agent ran goes back to running, with no taskComplete. One that never got
    // that far (setup failed) fails like any task.
    const agentRan = t.state === 'running' || t.state === 'paused' || t.state === 'starting'
    if (t.req.isSupervisor && outcome.kind !== 'interrupted' && agentRan) {
      if (outcome.kind === 'failed') host.notice(t, `Supervisor agent ended: ${outcome.reason}`)
      if (t.state !== 'running') host.setState(t, 'running')
      host.save(t, { completedAt: null, errorMessage: outcome.kind === 'failed' ? outcome.reason : null })
      host.notice(t, `\n${SUPERVISOR_READY_NOTICE}\n`)
      return
    }

    switch (outcome.kind) {
      case 'completed': {
        host.setState(t, 'completed', { completedAt: now, exitCode: outcome.exitCode, errorMessage: null })
        await runCompletionAction(host, t)
        host.emit({ type: 'taskComplete', taskId: t.id, success: true })
        break
      }
      case 'failed': {
        // Already ended: interrupted meanwhile, or a follow-up that could not start (its state stays).
        if (t.state === 'completed' || t.state === 'failed' || t.state === 'interrupted') break
        host.notice(t, `Task failed: ${outcome.reason}`)
        host.setState(t, 'failed', { completedAt: now, exitCode: outcome.exitCode, errorMessage: outcome.reason })
        host.emit({ type: 'taskComplete', taskId: t.id, success: false, error: outcome.reason })
        break
      }
      case 'interrupted': {
        // interrupt() already moved the state and announced it; make sure the record agrees.
        if (t.state !== 'interrupted') host.setState(t, 'interrupted', { completedAt: now, errorMessage: outcome.reason })
        else host.save(t, { completedAt: t.record.completedAt ?? now })
        break
      }
      default:
        assertNever(outcome)
    }
    hooks.revokeToolKey(t)
  } catch (e) {
    host.log.error('finishing a task run failed', { taskId: t.id, error: String(e) })
  } finally {
    t.slot?.release()
    t.slot = null
    await host.output.flush().catch(() => undefined)
  }
}

async function runCompletionAction(host: RunHost, t: ManagedTask): Promise<void> {
  const action = t.req.completionAction
  if (!action || action === 'none' || !t.dir) return
  host.notice(t, `Executing completion action: ${action}...`)
  const r = await host.workspace.completionAction({
    taskId: t.id,
    taskName: t.req.taskName,
    action,
    worktreePath: t.dir,
    ...(t.req.targetRepoPath ? { targetRepoPath: t.req.targetRepoPath } : {}),
    ...(t.req.targetBranch ? { targetBranch: t.req.targetBranch } : {}),
    ...(t.req.baseBranch ? { baseBranch: t.req.baseBranch } : {}),
  })
  // A failed action is reported; the task stays completed.
  host.notice(t, r.ok ? r.message : `Completion action '${action}' failed (the task stays completed): ${r.message}`)
  host.emit({
    type: 'completionActionResult',
    taskId: t.id,
    success: r.ok,
    message: r.message,
    ...(r.ok && r.prUrl ? { prUrl: r.prUrl } : {}),
  })
}
