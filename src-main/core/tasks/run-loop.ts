// One run of a task: working directory, version check, mode setup, then the agent — once, or in
// the autonomous loop (COMPLETION_GATE + circuit breaker) — until it ends. Returns the outcome;
// completion.ts turns it into the final state and messages.
import { agentAdapter } from '../agents/adapters'
import { WorktreeTouches } from './change-signal'
import type { AgentEvent } from '../agents/adapters/types'
import type { ClassifiedLine } from '../agents/classify'
import { AuthEventWatch } from './auth-watch'
import { UsageMeter } from './usage'
import { processIdentity } from '../agents/process-tree'
import { CircuitBreaker } from './circuit-breaker'
import { GateTranscript } from './completion-gate'
import type { ManagedTask, RunHost } from './host'
import type { AgentExitInfo, AgentRunHandle } from './ports'
import {
  CONTINUE_ITERATION_MESSAGE, estimateTokens, largePlanWarning, resumeMessage, resumeNotice, startingNotice, systemPromptFor,
  taskMessage, taskMode, type ResumeContext,
} from './prompts'
import type { TaskOutcome } from './state'
import { selectWorkingDir } from './working-dir'

/** spawn: a new run from the request; respawn: an idle supervisor's next message; follow-up: a
 * message to an ended task, continuing its session (--resume) in its existing working directory. */
export type RunStart = { kind: 'spawn' } | { kind: 'respawn'; message: string } | { kind: 'follow-up'; message: string }

interface Launch {
  message: string
  resumeSessionId?: string
}

type TurnCompleted = Extract<AgentEvent, { kind: 'turn_completed' }>

interface IterationResult {
  exit: AgentExitInfo
  /** The last turn's end, as the agent reported it. */
  turn: TurnCompleted | null
  /** The last fatal error the agent reported (its message explains a failed run). */
  error: string | null
  noConversation: boolean
  transcript: GateTranscript
}

const interrupted = (t: ManagedTask): TaskOutcome => ({ kind: 'interrupted', reason: t.interrupted?.reason ?? 'Interrupted' })

export async function runTask(host: RunHost, t: ManagedTask, start: RunStart): Promise<TaskOutcome> {
  const req = t.req
  const mode = taskMode(req)
  const notice = (text: string) => host.notice(t, text)
  // Asked now, answered while the working directory is prepared (usually kept: version-cache.ts).
  const versionCheck = host.agents.checkVersion(req.agent).catch((e: unknown) => ({ ok: false as const, reason: String(e) }))

  // ── Working directory ──
  const reuse = start.kind !== 'spawn' && t.dir !== null && (await host.workspace.isIntact(t.dir, t.isRepo))
  if (start.kind === 'follow-up' && !reuse) {
    // The task stays as it ended (completion.ts leaves an ended task's state alone).
    const reason = `its working directory ${t.dir ?? '(none)'} no longer exists`
    notice(`Cannot continue the task: ${reason}.`)
    return { kind: 'failed', reason: `Cannot continue the task: ${reason}`, exitCode: null }
  }
  let resumeCtx: ResumeContext | null = null
  if (!reuse) {
    const wd = await selectWorkingDir({
      req, workspace: host.workspace, recordedPath: t.record.worktreePath, worktreeOf: (id) => host.worktreeOf(id),
      identity: host.identity, notice, cancelled: () => t.interrupted !== null,
    })
    if (t.interrupted) return interrupted(t)
    if (!wd.ok) return { kind: 'failed', reason: wd.message, exitCode: null }
    t.dir = wd.dir
    t.isRepo = wd.isRepo
    t.workspace = wd.info ?? t.workspace
    host.save(t, { worktreePath: wd.dir })
    if (req.resumeSession && start.kind === 'spawn') {
      resumeCtx = wd.reusedExisting ? { kind: 'worktree-intact' } : req.conversationHistory !== undefined ? { kind: 'history', conversationHistory: req.conversationHistory } : { kind: 'plan-only' }
    }
  }
  const dir = t.dir!

  // A follow-up leaves the last run's end behind (completedAt, error, exit code).
  host.setState(t, 'starting', { completedAt: null, errorMessage: null, exitCode: null })
  const agentName = agentAdapter(host.agents, req.agent).displayName
  const version = await versionCheck
  if (t.interrupted) return interrupted(t)
  if (!version.ok) return { kind: 'failed', reason: `${agentName} not available: ${version.reason}`, exitCode: null }
  notice(`${agentName} ${version.version} ready`)

  // ── Mode: environment and prompts ──
  const env: Record<string, string> = {}
  const contractTask = !!req.contractId
  if (mode !== 'subtask' || contractTask) {
    if (mode !== 'subtask') notice(`Setting up ${mode} environment...`)
    env.MAKIMA_API_KEY = host.toolKey(t)
    env.MAKIMA_TASK_ID = t.id
    if (req.contractId) env.MAKIMA_CONTRACT_ID = req.contractId
    notice(mode === 'subtask' ? 'Contract integration ready (makima CLI available)' : `${mode[0]!.toUpperCase()}${mode.slice(1)} environment ready (makima CLI available)`)
  }
  const agentEnv = host.agentEnv(t, env)
  const systemPrompt = systemPromptFor(mode, { autonomousLoop: req.autonomousLoop })
  const plan = taskMessage(mode, req.plan, { contractTask })

  let launch: Launch
  if (start.kind === 'respawn' || start.kind === 'follow-up') {
    launch = { message: start.message, resumeSessionId: t.sessionId ?? undefined }
  } else if (resumeCtx) {
    notice(resumeNotice(resumeCtx))
    launch = { message: resumeMessage(resumeCtx, plan), resumeSessionId: resumeCtx.kind === 'worktree-intact' ? (t.sessionId ?? undefined) : undefined }
  } else {
    host.output.userTurn(t.id, req.plan)
    launch = { message: plan }
  }
  const tokens = estimateTokens(launch.message)
  const warning = largePlanWarning(tokens)
  if (warning) notice(warning)
  notice(startingNotice(mode, tokens, agentName))

  // ── The agent, once or in the autonomous loop ──
  const breaker = new CircuitBreaker(host.breaker)
  let iteration = 1
  let freshFallbackUsed = false
  for (;;) {
    if (t.interrupted || host.shuttingDown()) return interrupted(t)
    const before = req.autonomousLoop ? await host.workspace.fingerprint(dir).catch(() => '') : ''
    const it = await runIteration(host, t, dir, agentEnv, systemPrompt, launch)
    if (t.interrupted || host.shuttingDown()) return interrupted(t)

    if (it.noConversation && launch.resumeSessionId && !freshFallbackUsed) {
      // The stored session is gone (another machine, cleared HOME): start over with the plan.
      freshFallbackUsed = true
      notice(`Session ${launch.resumeSessionId} was not found; starting a fresh session with the plan.`)
      t.sessionId = null
      launch = { message: start.kind === 'spawn' ? plan : start.kind === 'respawn' ? start.message : `${plan}\n\n${start.message}` }
      continue
    }
    const ended = endOf(it, agentName)
    if (!req.autonomousLoop || ended.kind !== 'completed') return ended

    const reading = it.transcript.reading()
    if (reading.kind === 'gate' && reading.gate.ready) {
      notice(`[Autonomous Loop] Task completed after ${iteration} iteration(s). Reason: ${reading.gate.reason ?? 'Task complete'}`)
      return ended
    }
    const after = await host.workspace.fingerprint(dir).catch(() => '')
    const progress = before === '' || after === '' || before !== after
    const error = reading.kind === 'gate' ? (reading.gate.blockers?.[0] ?? null) : null
    const decision = breaker.record({ progress, error })
    if (decision.kind === 'open') {
      notice(`[Autonomous Loop] Circuit breaker tripped: ${decision.reason}`)
      return { kind: 'failed', reason: `Autonomous loop stopped by the circuit breaker: ${decision.reason}`, exitCode: it.exit.code }
    }
    notice(
      reading.kind === 'gate'
        ? `[Autonomous Loop] COMPLETION_GATE ready=false. Reason: ${reading.gate.reason ?? 'Not complete'}. Restarting...`
        : reading.kind === 'malformed'
          ? `[Autonomous Loop] Malformed COMPLETION_GATE (${reading.problem}). Restarting...`
          : '[Autonomous Loop] No COMPLETION_GATE found. Restarting...',
    )
    iteration++
    notice(`[Autonomous Loop] Starting iteration ${iteration}${t.sessionId ? ' (resuming the session)' : ''}`)
    launch = t.sessionId ? { message: CONTINUE_ITERATION_MESSAGE, resumeSessionId: t.sessionId } : { message: plan }
  }
}

/** exit 0 and a final turn that is not an error → completed; anything else → failed, with why. */
function endOf(it: IterationResult, name: string): TaskOutcome {
  const { exit, turn } = it
  if (exit.spawnError) return { kind: 'failed', reason: `Could not start ${name}: ${exit.spawnError}`, exitCode: null }
  const detail = turn && !turn.ok ? firstLine(it.error ?? turn.resultText ?? '') : it.error !== null ? firstLine(it.error) : ''
  if (exit.signal) return { kind: 'failed', reason: `${name} was terminated by ${exit.signal}${detail ? `: ${detail}` : ''}`, exitCode: null }
  if (exit.code !== 0) return { kind: 'failed', reason: `Exit code ${exit.code}${detail ? `: ${detail}` : ''}`, exitCode: exit.code }
  if (!turn) return { kind: 'failed', reason: `${name} exited without a result`, exitCode: 0 }
  if (!turn.ok) return { kind: 'failed', reason: `${name} reported an error: ${detail || 'unknown error'}`, exitCode: 0 }
  return { kind: 'completed', exitCode: 0 }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? ''
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}

async function runIteration(
  host: RunHost, t: ManagedTask, dir: string, env: Record<string, string>, systemPrompt: string, launch: Launch,
): Promise<IterationResult> {
  const transcript = new GateTranscript()
  const auth = new AuthEventWatch()
  let turn: TurnCompleted | null = null
  let error: string | null = null
  let noConversation = false
  const r = t.record
  const usage = new UsageMeter({ inputTokens: r.inputTokens, outputTokens: r.outputTokens, cachedInputTokens: r.cachedInputTokens, costUsd: r.costUsd })
  const touches = new WorktreeTouches()
  const onEvent = (ev: AgentEvent) => {
    transcript.feedEvent(ev)
    if (ev.kind === 'session_started' && ev.sessionId !== t.sessionId) {
      t.sessionId = ev.sessionId
      host.save(t, { agentSessionId: ev.sessionId })
    }
    if (ev.kind === 'turn_completed') turn = ev
    if (ev.kind === 'usage') host.save(t, usage.add(ev))
    if (touches.touches(ev)) host.onWorktreeTouched(t)
    if (ev.kind === 'error' && ev.fatal) error = ev.message
    if (ev.kind === 'error' && ev.category === 'no_session') noConversation = true
    const signal = auth.observe(ev)
    if (signal?.kind === 'raise') host.onAuthError(t, signal.match)
    else if (signal?.kind === 'withdraw') host.onAuthWithdrawn(t)
  }
  const onLine = (_line: ClassifiedLine, events: AgentEvent[]) => {
    t.timings.lines++
    t.timings.firstOutputAt ??= Date.now()
    for (const ev of events) onEvent(ev)
  }
  let agent: AgentRunHandle
  try {
    const spec = { taskId: t.id, cwd: dir, env, systemPrompt, ...(t.req.agent ? { agent: t.req.agent } : {}), firstMessage: launch.message, ...(launch.resumeSessionId ? { resumeSessionId: launch.resumeSessionId } : {}) }
    // A few launches at a time (start-gate.ts); a task stopped while it waits never spawns.
    const gated = await host.startGate.run(t.id, async () => (t.interrupted || host.shuttingDown() ? null : host.agents.launch(spec, onLine)))
    if (gated.kind === 'cancelled' || gated.value === null) {
      return { exit: { code: null, signal: null, spawnError: 'stopped before the agent started', beforeOutput: true }, turn, error, noConversation, transcript }
    }
    agent = gated.value
  } catch (e) {
    // The agent could not be started at all (e.g. the sandbox could not be prepared).
    return { exit: { code: null, signal: null, spawnError: e instanceof Error ? e.message : String(e), beforeOutput: true }, turn, error, noConversation, transcript }
  }
  t.agent = agent
  t.timings.agentStartedAt ??= Date.now()
  // Recorded so a core started after this one is killed can end an agent that outlived it.
  if (agent.pid !== undefined) host.save(t, { agentPid: agent.pid, agentIdentity: (await processIdentity(agent.pid)) ?? undefined })
  if (t.state === 'starting') {
    t.timings.runningAt ??= Date.now()
    host.setState(t, 'running', { startedAt: new Date().toISOString() })
  }
  // A message that arrived while the agent was starting goes in now.
  while (t.queuedMessages.length && agent.send(t.queuedMessages[0]!)) t.queuedMessages.shift()
  const stopHeartbeat = startHeartbeat(host, t, dir)
  try {
    const exit = await agent.exited
    return { exit, turn, error, noConversation, transcript }
  } finally {
    stopHeartbeat()
    t.agent = null
    host.save(t, { agentPid: undefined, agentIdentity: undefined })
    await host.output.flush()
  }
}

/** WIP commits every heartbeatIntervalMs for repository tasks; the first tick is one interval in. */
function startHeartbeat(host: RunHost, t: ManagedTask, dir: string): () => void {
  if (host.heartbeatIntervalMs <= 0 || !t.isRepo || !t.req.repoUrl) return () => undefined
  let busy = false
  const timer = setInterval(() => {
    if (busy || t.state === 'paused') return
    busy = true
    host.workspace
      .heartbeat(t.id, dir)
      .then((r) => {
        if (r.kind !== 'committed' || !r.sha) return
        if (r.checkpoint) host.emit({ type: 'checkpointCreated', ...r.checkpoint })
        host.notice(t, `[Heartbeat] WIP checkpoint ${r.sha.slice(0, 8)} (${r.pushed ? 'pushed' : 'local only'})`)
      })
      .catch((e: unknown) => host.log.debug('heartbeat commit skipped', { taskId: t.id, error: String(e) }))
      .finally(() => (busy = false))
  }, host.heartbeatIntervalMs)
  return () => clearInterval(timer)
}
