// Contract phases. Simple contracts go plan → execute; specification contracts go research →
// specify → plan → execute → review. A move is allowed only to the next phase of the contract's
// own sequence; anything else is refused with a reason a supervisor (or a person) can act on.
import { CONTRACT_PHASES } from '../../../src-preload/contract'

export type ContractPhase = (typeof CONTRACT_PHASES)[number]
export const CONTRACT_TYPES = ['simple', 'specification'] as const
export type ContractType = (typeof CONTRACT_TYPES)[number]
export type ContractStatus = 'active' | 'completed'

const SEQUENCES: Record<ContractType, readonly ContractPhase[]> = {
  simple: ['plan', 'execute'],
  specification: ['research', 'specify', 'plan', 'execute', 'review'],
}

export function phasesOf(type: ContractType): readonly ContractPhase[] {
  return SEQUENCES[type]
}

export function initialPhase(type: ContractType): ContractPhase {
  return SEQUENCES[type][0]!
}

export function finalPhase(type: ContractType): ContractPhase {
  return SEQUENCES[type].at(-1)!
}

export function nextPhase(type: ContractType, phase: ContractPhase): ContractPhase | null {
  const seq = SEQUENCES[type]
  const i = seq.indexOf(phase)
  return i >= 0 && i < seq.length - 1 ? seq[i + 1]! : null
}

export function isContractPhase(v: string): v is ContractPhase {
  return (CONTRACT_PHASES as readonly string[]).includes(v)
}

export type PhaseMove =
  | { ok: true; from: ContractPhase; to: ContractPhase }
  | { ok: false; code: 'completed' | 'same-phase' | 'not-in-type' | 'backwards' | 'skips' | 'unknown-phase'; reason: string }

interface PhaseHolder {
  type: ContractType
  phase: ContractPhase
  status: ContractStatus
}

/** Whether the contract may move to `to` now. */
export function checkPhaseMove(c: PhaseHolder, to: string): PhaseMove {
  const seq = SEQUENCES[c.type]
  const order = seq.join(' → ')
  if (!isContractPhase(to)) return { ok: false, code: 'unknown-phase', reason: `Unknown phase "${to}". Phases of a ${c.type} contract: ${order}.` }
  if (c.status === 'completed') return { ok: false, code: 'completed', reason: 'The contract is already completed; its phase can no longer change.' }
  if (to === c.phase) return { ok: false, code: 'same-phase', reason: `The contract is already in the ${to} phase.` }
  const target = seq.indexOf(to)
  if (target < 0) return { ok: false, code: 'not-in-type', reason: `A ${c.type} contract has no ${to} phase (${order}).` }
  const current = seq.indexOf(c.phase)
  if (target < current) return { ok: false, code: 'backwards', reason: `Cannot go back from ${c.phase} to ${to}: phases only move forward (${order}).` }
  if (target > current + 1) {
    return { ok: false, code: 'skips', reason: `Cannot skip from ${c.phase} to ${to}: the next phase is ${seq[current + 1]} (${order}).` }
  }
  return { ok: true, from: c.phase, to }
}

export type CompleteCheck = { ok: true } | { ok: false; reason: string }

/** A contract may be completed in its final phase (execute for simple, review for specification). */
export function checkComplete(c: PhaseHolder): CompleteCheck {
  if (c.status === 'completed') return { ok: false, reason: 'The contract is already completed.' }
  const last = finalPhase(c.type)
  if (c.phase !== last) {
    return { ok: false, reason: `A ${c.type} contract can be completed only in its ${last} phase; it is in ${c.phase}. Advance the phase first.` }
  }
  return { ok: true }
}

/** What each phase is expected to deliver (the `makima contract checklist`). */
export const PHASE_DELIVERABLES: Record<ContractPhase, readonly string[]> = {
  research: ['Understand the goal and the existing code', 'Record findings in a contract file'],
  specify: ['Write the specification as a contract file', 'Confirm open points with the user (ask)'],
  plan: ['Write the implementation plan as a contract file', 'Break the work into tasks'],
  execute: ['Spawn tasks and wait for each', 'Merge every finished task into the contract branch', 'Open the pull request'],
  review: ['Review the merged work and the pull request', 'Complete the contract'],
}
