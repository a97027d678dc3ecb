// The embedded control plane: contracts (simple: plan → execute; specification: research →
// specify → plan → execute → review), their documents and progress reports, questions to the
// user, checkpoints, merge trackers and pull requests, and the subtasks orchestrators plan.
// Three doors reach it: the bridge (controlHandlers), the tool API (src-main/core/tool-api, used
// by the in-task `makima` CLI with the task's tool key) and the task manager's events.
//
// Local mode (no server configured, the default): tasks get MAKIMA_API_URL = the loopback tool
// API and the `makima` launcher first on PATH; everything here is authoritative.
//
// Remote mode (a Makima server configured): as in the original, tasks get the SERVER's API URL,
// their tool keys go to the server (registerToolKey), and the server answers the CLI — its
// contracts, phases, questions and merges are the server's. What stays local even then:
//   - the `makima` CLI launcher on the task PATH and `.makima/orchestrate.sh` in orchestrator
//     worktrees (they are files on this machine; they follow MAKIMA_API_URL wherever it points);
//   - the loopback tool API keeps running for contracts created in this app's own UI, and these
//     tables stay this machine's record of them (the bridge's contract and question lists show
//     local contracts only);
//   - git work on worktrees always happens here: the server asks for it through its own commands.
export { ControlPlane, questionAnswerView, type Caller, type ControlPlaneOptions, type CreateContractInput } from './plane'
export { controlHandlers, getContractDetail, bridgeEventSinks, contractSummary, questionSummary } from './bridge-handlers'
export { QuestionBroker, DEFAULT_QUESTION_TIMEOUT_SECONDS, MAX_QUESTION_TIMEOUT_SECONDS, type AskInput, type AnswerResult } from './question-broker'
export { checkPhaseMove, checkComplete, phasesOf, initialPhase, finalPhase, nextPhase, type ContractPhase, type ContractType, type PhaseMove } from './phases'
export { ContractRepository, type ContractRecord, type ContractFileRecord, type ProgressReport } from './contract-repository'
export {
  QuestionRepository, CheckpointRepository, MergeTrackerRepository, PlannedTaskRepository,
  type QuestionRecord, type QuestionState, type CheckpointRecord, type MergeTrackerEntry, type PullRequestRecord, type PlannedTask,
} from './records-repository'
export { withOrchestrateScript, writeOrchestrateScript, orchestrateScript, ORCHESTRATE_SCRIPT } from './orchestrate-script'
export type { TaskPort, TaskStorePort, OutputStorePort, GhOptions, PortResult } from './ports'
export type { Op, OpError } from './result'
