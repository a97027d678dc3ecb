// The task state machine. One lifecycle runs pending → initializing → starting → running ⇄ paused
// → completed | failed | interrupted. A re-spawn starts a new lifecycle (pending → initializing),
// it is not a transition out of a terminal state. A supervisor whose agent exits stays `running`
// and is respawned in place: running → starting is legal for that case. A follow-up message to an
// ended task resumes its session in place: completed | failed | interrupted → starting.
import { ACTIVE_STATES, TASK_STATES, TERMINAL_STATES, type TaskState } from '../../../src-preload/contract'

export { TASK_STATES, type TaskState }

const LEGAL: Record<TaskState, readonly TaskState[]> = {
  pending: ['initializing'],
  initializing: ['starting', 'failed', 'interrupted'],
  starting: ['running', 'failed', 'interrupted'],
  running: ['paused', 'starting', 'completed', 'failed', 'interrupted'],
  // A paused agent can still die (SIGKILL from outside), hence paused → failed/completed.
  paused: ['running', 'completed', 'failed', 'interrupted'],
  completed: ['starting'],
  failed: ['starting'],
  interrupted: ['starting'],
}

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.includes(state)
}

export function isActive(state: TaskState): boolean {
  return ACTIVE_STATES.includes(state)
}

export function canTransition(from: TaskState, to: TaskState): boolean {
  return LEGAL[from].includes(to)
}

export function legalTargets(from: TaskState): readonly TaskState[] {
  return LEGAL[from]
}

export type Transition = { ok: true; from: TaskState; to: TaskState } | { ok: false; from: TaskState; to: TaskState; message: string }

export function transition(from: TaskState, to: TaskState): Transition {
  return canTransition(from, to)
    ? { ok: true, from, to }
    : { ok: false, from, to, message: `Invalid state transition from ${from} to ${to}` }
}

/** How one run of a task ended; the manager maps it to the final state and taskComplete. */
export type TaskOutcome =
  | { kind: 'completed'; exitCode: number }
  | { kind: 'failed'; reason: string; exitCode: number | null }
  | { kind: 'interrupted'; reason: string }

export function outcomeState(outcome: TaskOutcome): 'completed' | 'failed' | 'interrupted' {
  switch (outcome.kind) {
    case 'completed':
      return 'completed'
    case 'failed':
      return 'failed'
    case 'interrupted':
      return 'interrupted'
    default:
      return assertNever(outcome)
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}

/** A refused command, returned as a value (the server link turns it into a reply). */
export type TaskErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'concurrency-limit'
  | 'contract-concurrency-limit'
  | 'invalid-state'
  | 'invalid-request'
  | 'no-process'
  | 'shutting-down'

export type CommandResult<T = void> = { ok: true; value: T } | { ok: false; code: TaskErrorCode; message: string }

export function ok(): CommandResult<void>
export function ok<T>(value: T): CommandResult<T>
export function ok<T>(value?: T): CommandResult<T | undefined> {
  return { ok: true, value }
}

export function refuse(code: TaskErrorCode, message: string): { ok: false; code: TaskErrorCode; message: string } {
  return { ok: false, code, message }
}
