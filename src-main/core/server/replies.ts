// How each command is answered when it fails (PROTOCOL.md, "Failures are answered, never
// swallowed"): its own result message with success:false, a taskComplete for a refused spawn, and
// a one-line taskOutput notice for commands that have no result message.
import type { CommandType, Message } from './protocol'

export interface FailureTarget {
  type: CommandType
  taskId?: string
  requestId?: string
  /** Echo fields some result messages carry; '' when unknown (e.g. an invalid command). */
  filePath?: string
  branchName?: string
  targetDir?: string
  message?: string
}

/** A one-line daemon notice in the task's output. */
export function notice(taskId: string, text: string): Message {
  return { type: 'taskOutput', taskId, output: `[makima] ${text}\n`, isPartial: false }
}

export function notFoundText(taskId: string): string {
  return `Task ${taskId} not found`
}

const NOTICE_VERB: Partial<Record<CommandType, string>> = {
  pauseTask: 'pause',
  resumeTask: 'resume',
  interruptTask: 'interrupt',
  sendMessage: 'message',
  injectSiblingContext: 'sibling context',
}

/** The failure answer for a command, or null when the command has nobody to answer. */
export function failureReply(t: FailureTarget, text: string): Message | null {
  const taskId = t.taskId
  if (t.type === 'readRepoFile') {
    return t.requestId ? { type: 'repoFileContent', requestId: t.requestId, filePath: t.filePath ?? '', success: false, error: text } : null
  }
  if (t.type === 'inheritGitConfig') return { type: 'gitConfigInherited', success: false, error: text }
  if (!taskId) return null
  switch (t.type) {
    case 'spawnTask':
      return { type: 'taskComplete', taskId, success: false, error: text }
    case 'pauseTask':
    case 'resumeTask':
    case 'interruptTask':
    case 'sendMessage':
    case 'injectSiblingContext':
      return notice(taskId, `${text} (${NOTICE_VERB[t.type]} ignored)`)
    case 'listBranches':
    case 'mergeStart':
    case 'mergeStatus':
    case 'mergeResolve':
    case 'mergeCommit':
    case 'mergeAbort':
    case 'mergeSkip':
      return { type: 'mergeResult', taskId, success: false, message: text }
    case 'checkMergeComplete':
      return { type: 'mergeCompleteCheck', taskId, canComplete: false, unmergedBranches: [text], mergedCount: 0, skippedCount: 0 }
    case 'retryCompletionAction':
      return { type: 'completionActionResult', taskId, success: false, message: text }
    case 'cloneWorktree':
      return { type: 'cloneWorktreeResult', taskId, success: false, message: text }
    case 'checkTargetExists':
      return { type: 'checkTargetExistsResult', taskId, exists: false, targetDir: t.targetDir ?? '' }
    case 'createBranch':
      return { type: 'branchCreated', taskId, success: false, branchName: t.branchName ?? '', message: text }
    case 'mergeTaskToTarget':
      return { type: 'mergeToTargetResult', taskId, success: false, message: text }
    case 'createPR':
      return { type: 'prCreated', taskId, success: false, message: text }
    case 'getTaskDiff':
      return { type: 'taskDiff', taskId, success: false, error: text }
    case 'createCheckpoint':
      return { type: 'checkpointCreated', taskId, success: false, error: text, message: t.message ?? '' }
    case 'cleanupWorktree':
      return { type: 'cleanupWorktreeResult', taskId, success: false, message: text }
    case 'authenticated':
    case 'error':
    case 'restartDaemon':
      return null
  }
}

/** `git check-ref-format --branch` rules, plus no leading '-' (never an option to git). */
export function refProblem(name: string): string | null {
  if (name.length === 0) return 'is empty'
  if (name.length > 250) return 'is too long'
  if (name.startsWith('-')) return "starts with '-'"
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return 'contains a space, a control character or one of ~ ^ : ? * [ \\'
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return "contains '..', '@{' or '//'"
  if (name === '@' || name.endsWith('/') || name.endsWith('.') || name.endsWith('.lock')) return "ends with '/', '.' or '.lock', or is '@'"
  if (name.split('/').some((part) => part.startsWith('.'))) return "has a part starting with '.'"
  return null
}
