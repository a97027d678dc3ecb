// The bridge requests of the control plane (src-preload/contract.ts): create a contract with its
// supervisor, list and read contracts, list and answer questions, advance a phase by hand. The
// lead wires them with one spread: `{ ...createHandlers(…), ...controlHandlers(plane) }`.
import type { ContractSummary, Question } from '../../../src-preload/contract'
import { BridgeError, type Handlers } from '../bridge/dispatch'
import type { CoreEvents } from '../events'
import type { ContractRecord } from './contract-repository'
import type { ControlPlane } from './plane'
import type { QuestionRecord } from './records-repository'
import type { Op, OpErrorCode } from './result'

export function contractSummary(c: ContractRecord): ContractSummary {
  return {
    id: c.id, name: c.name, type: c.type, phase: c.phase, status: c.status, goal: c.goal, targetBranch: c.targetBranch,
    supervisorTaskId: c.supervisorTaskId, createdAt: c.createdAt, updatedAt: c.updatedAt,
  }
}

export function questionSummary(q: QuestionRecord): Question {
  return {
    id: q.id, taskId: q.taskId, contractId: q.contractId, question: q.question, choices: q.choices, context: q.context, state: q.state,
    answer: q.answer, createdAt: q.createdAt, expiresAt: q.expiresAt,
  }
}

const BRIDGE_CODES: Record<OpErrorCode, 'invalid-params' | 'not-found' | 'conflict' | 'unavailable' | 'internal'> = {
  'bad-request': 'invalid-params', forbidden: 'conflict', 'not-found': 'not-found', conflict: 'conflict', unavailable: 'unavailable', failed: 'internal',
}

function unwrap<T>(r: Op<T>): T {
  if (r.ok) return r.value
  throw new BridgeError(BRIDGE_CODES[r.code], r.message)
}

type ControlHandlerNames = 'listContracts' | 'createContract' | 'advancePhase' | 'listQuestions' | 'answerQuestion'

export function controlHandlers(plane: ControlPlane): Pick<Handlers, ControlHandlerNames> {
  return {
    listContracts: () => plane.contracts.list().map(contractSummary),
    createContract: async (p) => unwrap(await plane.createContract({ name: p.name, goal: p.goal, type: p.type, repoUrl: p.repoUrl, targetBranch: p.targetBranch })),
    advancePhase: (p) => contractSummary(unwrap(plane.advancePhase(p.contractId, p.phase, 'user'))),
    listQuestions: (p) => plane.questions.list({ pendingOnly: p?.pendingOnly }).map(questionSummary),
    answerQuestion: (p) => questionSummary(unwrap(plane.answer(p.questionId, p.answer))),
  }
}

/** Proposed bridge request `getContract` ({ contractId }): one contract with everything hung on it. */
export function getContractDetail(plane: ControlPlane, contractId: string) {
  const c = unwrap(plane.contract(contractId))
  return {
    ...contractSummary(c),
    repoUrl: c.repoUrl,
    completedAt: c.completedAt,
    phaseLog: plane.contracts.phaseLog(c.id),
    files: plane.contracts.listFiles(c.id).map((f) => ({ id: f.id, name: f.name, content: f.content, createdBy: f.createdBy, updatedAt: f.updatedAt })),
    reports: plane.contracts.reports({ contractId: c.id }).map((r) => ({ seq: r.seq, taskId: r.taskId, kind: r.kind, text: r.text, createdAt: r.createdAt })),
    tasks: plane.contractTasks(c.id),
    merges: plane.merges.forOwner(c.id),
    pullRequests: plane.merges.pullRequests(c.id),
    questions: plane.questions.list().filter((q) => q.contractId === c.id).map(questionSummary),
  }
}

/** Options for ControlPlane that forward its changes as bridge events (UI, tray, notifications). */
export function bridgeEventSinks(events: CoreEvents): { onContractUpdated(c: ContractRecord): void; onQuestionUpdated(q: QuestionRecord): void } {
  return {
    onContractUpdated: (c) => events.emit('contractUpdated', contractSummary(c)),
    onQuestionUpdated: (q) => events.emit('questionUpdated', questionSummary(q)),
  }
}

