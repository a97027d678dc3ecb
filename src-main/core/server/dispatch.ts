// Server commands → the task engine, the git engine or the login flow, each answered as
// PROTOCOL.md says, failures included. Commands for one task (or request) run one after another in
// arrival order; different tasks run side by side.
import type { Logger } from '../log/logger'
import type { Command, CommandOf, FrameProblem, Message } from './protocol'
import type { ControlOutcome, GitPort, LoginPort, ProcessPort, TaskEnginePort, TaskWorktree } from './ports'
import { failureReply, notFoundText, notice, refProblem, type FailureTarget } from './replies'

export const RESTART_EXIT_CODE = 42
export const AGENT_STOP_GRACE_MS = 5_000
const AUTH_CODE_PREFIX = 'AUTH_CODE:'

export interface DispatcherDeps {
  tasks: TaskEnginePort
  git: GitPort
  login: LoginPort
  process: ProcessPort
  /** Queues a message for the server (the outbox). */
  send: (message: Message) => void
  log: Logger
  /** Runs before exit(42), after agents stopped (e.g. closes the socket). */
  beforeExit?: () => Promise<void>
}

export class CommandDispatcher {
  private readonly queues = new Map<string, Promise<void>>()
  private readonly log: Logger

  constructor(private readonly deps: DispatcherDeps) {
    this.log = deps.log
  }

  /** Queues a command behind earlier ones for the same task; resolves when it has been answered. */
  handle(cmd: Command): Promise<void> {
    const key = 'taskId' in cmd ? `t:${cmd.taskId}` : 'requestId' in cmd ? `r:${cmd.requestId}` : `g:${cmd.type}`
    const prev = this.queues.get(key) ?? Promise.resolve()
    const next = prev.then(() => this.run(cmd))
    this.queues.set(key, next)
    void next.finally(() => {
      if (this.queues.get(key) === next) this.queues.delete(key)
    })
    return next
  }

  /** A command that named a task but had invalid fields still gets its failure answer. */
  handleProblem(p: FrameProblem): void {
    if (p.kind !== 'invalid-fields') return
    const reply = failureReply({ type: p.type, taskId: p.taskId, requestId: p.requestId }, `Invalid ${p.type} command: ${p.issues}`)
    if (reply) this.deps.send(reply)
  }

  /** Resolves when every queued command has been answered. */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()])
  }

  private async run(cmd: Command): Promise<void> {
    try {
      await this.execute(cmd)
    } catch (err) {
      const text = this.errorText(err)
      this.log.warn('command failed', { type: cmd.type, error: text })
      const reply = failureReply(targetOf(cmd), text)
      if (reply) this.deps.send(reply)
    }
  }

  private async execute(cmd: Command): Promise<void> {
    const { tasks, login, send } = this.deps
    switch (cmd.type) {
      case 'spawnTask': {
        this.log.info('spawning task', { taskId: cmd.taskId, taskName: cmd.taskName, planLength: cmd.plan.length })
        const outcome = await tasks.spawn(cmd)
        if (outcome.kind === 'refused') {
          this.log.warn('spawn refused', { taskId: cmd.taskId, reason: outcome.reason })
          send({ type: 'taskComplete', taskId: cmd.taskId, success: false, error: outcome.reason })
        }
        return
      }
      case 'pauseTask':
        return this.control(cmd, await tasks.pause(cmd.taskId))
      case 'resumeTask':
        return this.control(cmd, await tasks.resume(cmd.taskId))
      case 'interruptTask':
        return this.control(cmd, await tasks.interrupt(cmd.taskId, cmd.graceful))
      case 'sendMessage': {
        if (cmd.message.startsWith(AUTH_CODE_PREFIX)) {
          const code = cmd.message.slice(AUTH_CODE_PREFIX.length).trim()
          this.log.redactor.addSecret(code)
          this.log.info('login code received from the server', { taskId: cmd.taskId })
          const outcome = code ? await login.submitCode(code) : ({ kind: 'no-pending-login' } as const)
          if (outcome.kind === 'no-pending-login') {
            send(notice(cmd.taskId, code ? 'No login is waiting for a code; the code was not used.' : 'The login code was empty.'))
          }
          return
        }
        return this.control(cmd, await tasks.sendMessage(cmd.taskId, cmd.message))
      }
      case 'injectSiblingContext':
        this.log.debug('sibling context is not supported for subprocess tasks; ignored', { taskId: cmd.taskId })
        return
      case 'authenticated':
      case 'error':
        return // handled by the connection
      case 'readRepoFile': {
        const out = await this.deps.git.readRepoFile(cmd.repoPath, cmd.filePath)
        send(
          out.kind === 'ok'
            ? { type: 'repoFileContent', requestId: cmd.requestId, filePath: cmd.filePath, content: out.content, success: true }
            : { type: 'repoFileContent', requestId: cmd.requestId, filePath: cmd.filePath, success: false, error: out.reason },
        )
        return
      }
      case 'checkTargetExists': {
        const out = await this.deps.git.targetExists(cmd.targetDir)
        send({ type: 'checkTargetExistsResult', taskId: cmd.taskId, exists: out.exists, targetDir: out.targetDir })
        return
      }
      case 'inheritGitConfig': {
        const out = await this.deps.git.inheritGitConfig(cmd.sourceDir)
        send(
          out.userEmail || out.userName
            ? { type: 'gitConfigInherited', success: true, userEmail: out.userEmail, userName: out.userName }
            : { type: 'gitConfigInherited', success: false, error: 'No git config found in the specified directory' },
        )
        return
      }
      case 'restartDaemon': {
        this.log.info('restart requested by the server: stopping agents, then exiting with code 42')
        await tasks.stopAll(AGENT_STOP_GRACE_MS).catch((err: unknown) => this.log.error('stopping agents failed', { error: err }))
        await this.deps.beforeExit?.().catch((err: unknown) => this.log.error('shutdown step failed', { error: err }))
        this.deps.process.exit(RESTART_EXIT_CODE)
        return
      }
      default:
        return this.gitCommand(cmd)
    }
  }

  private control(cmd: CommandOf<'pauseTask' | 'resumeTask' | 'interruptTask' | 'sendMessage'>, outcome: ControlOutcome): void {
    if (outcome.kind === 'ok') return
    const text = outcome.kind === 'not-found' ? notFoundText(cmd.taskId) : outcome.reason
    this.log.info('command not carried out', { type: cmd.type, taskId: cmd.taskId, reason: text })
    const reply = failureReply(targetOf(cmd), text)
    if (reply) this.deps.send(reply)
  }

  /** Commands that act on a task's worktree. */
  private async gitCommand(cmd: GitCommand): Promise<void> {
    const { git, send } = this.deps
    const lookup = await this.deps.tasks.worktreeOf(cmd.taskId)
    if (lookup.kind !== 'found') {
      const text = lookup.kind === 'not-found' ? notFoundText(cmd.taskId) : `Task ${cmd.taskId} has no worktree`
      const reply = failureReply(targetOf(cmd), text)
      if (reply) send(reply)
      return
    }
    const wt: TaskWorktree = lookup.worktree
    const taskId = cmd.taskId
    switch (cmd.type) {
      case 'listBranches':
        send({ type: 'branchList', taskId, branches: await git.listBranches(wt) })
        return
      case 'mergeStart': {
        const problem = refProblem(cmd.sourceBranch)
        if (problem) throw new Error(`Invalid branch name: ${problem}`)
        const out = await git.mergeStart(wt, cmd.sourceBranch)
        send(
          out.kind === 'merged'
            ? { type: 'mergeResult', taskId, success: true, message: 'Merge completed without conflicts', commitSha: out.commitSha }
            : { type: 'mergeResult', taskId, success: false, message: `Merge has ${out.files.length} conflicts`, conflicts: out.files },
        )
        return
      }
      case 'mergeStatus': {
        const out = await git.mergeStatus(wt)
        send({ type: 'mergeStatusResponse', taskId, inProgress: out.inProgress, sourceBranch: out.sourceBranch, conflictedFiles: out.conflictedFiles })
        return
      }
      case 'mergeResolve':
        await git.mergeResolve(wt, cmd.file, cmd.strategy)
        send({ type: 'mergeResult', taskId, success: true, message: `Resolved conflict in ${cmd.file}` })
        return
      case 'mergeCommit': {
        const out = await git.mergeCommit(wt, cmd.message)
        send({ type: 'mergeResult', taskId, success: true, message: 'Merge committed successfully', commitSha: out.commitSha })
        return
      }
      case 'mergeAbort':
        await git.mergeAbort(wt)
        send({ type: 'mergeResult', taskId, success: true, message: 'Merge aborted' })
        return
      case 'mergeSkip':
        await git.mergeSkip(wt, cmd.subtaskId, cmd.reason)
        send({ type: 'mergeResult', taskId, success: true, message: `Subtask ${cmd.subtaskId} skipped: ${cmd.reason}` })
        return
      case 'checkMergeComplete':
        send({ type: 'mergeCompleteCheck', taskId, ...(await git.checkMergeComplete(wt)) })
        return
      case 'retryCompletionAction': {
        const out = await git.retryCompletionAction(wt, cmd)
        send({ type: 'completionActionResult', taskId, success: true, message: out.message, prUrl: out.prUrl })
        return
      }
      case 'cloneWorktree': {
        const out = await git.cloneWorktree(wt, cmd.targetDir)
        send({ type: 'cloneWorktreeResult', taskId, success: true, message: out.message, targetDir: out.targetDir })
        return
      }
      case 'createBranch': {
        for (const [what, ref] of [['branch name', cmd.branchName], ['starting point', cmd.fromRef]] as const) {
          const problem = ref == null ? null : refProblem(ref)
          if (problem) throw new Error(`Invalid ${what}: ${problem}`)
        }
        await git.createBranch(wt, cmd.branchName, cmd.fromRef)
        send({ type: 'branchCreated', taskId, success: true, branchName: cmd.branchName, message: `Branch '${cmd.branchName}' created` })
        return
      }
      case 'mergeTaskToTarget': {
        const problem = cmd.targetBranch == null ? null : refProblem(cmd.targetBranch)
        if (problem) throw new Error(`Invalid target branch: ${problem}`)
        const out = await git.mergeToTarget(wt, cmd.targetBranch, cmd.squash)
        send(
          out.kind === 'merged'
            ? { type: 'mergeToTargetResult', taskId, success: true, message: out.message, commitSha: out.commitSha }
            : { type: 'mergeToTargetResult', taskId, success: false, message: 'Merge conflicts detected', conflicts: out.files },
        )
        return
      }
      case 'createPR': {
        const problem = refProblem(cmd.baseBranch)
        if (problem) throw new Error(`Invalid base branch: ${problem}`)
        const out = await git.createPR(wt, cmd)
        send({ type: 'prCreated', taskId, success: true, message: 'Pull request created', prUrl: out.prUrl, prNumber: out.prNumber })
        return
      }
      case 'getTaskDiff':
        send({ type: 'taskDiff', taskId, success: true, diff: await git.taskDiff(wt) })
        return
      case 'createCheckpoint': {
        const out = await git.createCheckpoint(wt, cmd.message)
        if (out.kind === 'no-changes') {
          send({ type: 'checkpointCreated', taskId, success: false, branchName: out.branchName, error: 'No changes to checkpoint', message: cmd.message })
          return
        }
        const { kind: _kind, ...fields } = out
        send({ type: 'checkpointCreated', taskId, success: true, ...fields, message: cmd.message })
        return
      }
      case 'cleanupWorktree': {
        const out = await git.cleanupWorktree(wt, cmd.deleteBranch)
        this.deps.tasks.forget?.(taskId)
        send({ type: 'cleanupWorktreeResult', taskId, success: true, message: out.message })
        return
      }
    }
  }

  private errorText(err: unknown): string {
    const raw = err instanceof Error ? err.message : String(err)
    return this.log.redactor.redactText(raw).slice(0, 4000) || 'unknown error'
  }
}

type GitCommand = CommandOf<
  | 'listBranches'
  | 'mergeStart'
  | 'mergeStatus'
  | 'mergeResolve'
  | 'mergeCommit'
  | 'mergeAbort'
  | 'mergeSkip'
  | 'checkMergeComplete'
  | 'retryCompletionAction'
  | 'cloneWorktree'
  | 'createBranch'
  | 'mergeTaskToTarget'
  | 'createPR'
  | 'getTaskDiff'
  | 'createCheckpoint'
  | 'cleanupWorktree'
>

function targetOf(cmd: Command): FailureTarget {
  const c = cmd as Partial<Record<string, unknown>>
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  return {
    type: cmd.type,
    taskId: str(c.taskId),
    requestId: str(c.requestId),
    filePath: str(c.filePath),
    branchName: str(c.branchName),
    targetDir: str(c.targetDir),
    message: str(c.message),
  }
}
