// The control plane's other doors: bridge handlers, the task manager's events, the workspace
// decorator that writes orchestrate.sh, and a restart over the same SQLite file.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BridgeError } from '../../../../src-main/core/bridge/dispatch'
import { bridgeEventSinks, controlHandlers, getContractDetail } from '../../../../src-main/core/control/bridge-handlers'
import { withOrchestrateScript } from '../../../../src-main/core/control/orchestrate-script'
import { ControlPlane } from '../../../../src-main/core/control/plane'
import { CoreEvents } from '../../../../src-main/core/events'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { GitWorkspace } from '../../../../src-main/core/tasks/workspace'
import { git, makeControlHarness, newId, waitFor, type ControlHarness } from './harness'

describe('control plane', () => {
  let h: ControlHarness
  beforeEach(async () => {
    h = await makeControlHarness()
  })
  afterEach(async () => {
    await h.close()
  })

  it('createContract (bridge) stores the contract and spawns its supervisor', async () => {
    const handlers = controlHandlers(h.plane)
    const r = await handlers.createContract({ name: 'Auth', goal: 'Add login', type: 'specification', repoUrl: h.repo, targetBranch: 'main' })
    expect(h.port.spawned.at(-1)).toEqual({
      taskId: r.supervisorTaskId, taskName: 'Supervisor: Auth', plan: 'Add login', repoUrl: h.repo, isSupervisor: true, contractId: r.contractId, targetBranch: 'main',
    })
    const list = await handlers.listContracts(undefined)
    expect(list).toEqual([expect.objectContaining({ id: r.contractId, name: 'Auth', type: 'specification', phase: 'research', status: 'active', supervisorTaskId: r.supervisorTaskId, targetBranch: 'main' })])
    expect(h.contractEvents).toEqual([`${r.contractId}:research:active`])
  })

  it('createContract reports a supervisor that could not start', async () => {
    h.port.failNextSpawn = 'Concurrency limit reached'
    const handlers = controlHandlers(h.plane)
    await expect(handlers.createContract({ name: 'X', goal: 'g', type: 'simple', repoUrl: h.repo })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/Concurrency limit reached/) })
    expect(h.plane.contracts.list()[0]!.supervisorTaskId).toBeNull()
  })

  it('advancePhase by hand follows the same rules, with the reason as a bridge error', async () => {
    const c = await h.contract('simple')
    const handlers = controlHandlers(h.plane)
    const err = await Promise.resolve()
      .then(() => handlers.advancePhase({ contractId: c.contractId, phase: 'review' }))
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BridgeError)
    expect(err).toMatchObject({ code: 'conflict', message: expect.stringMatching(/no review phase/) })
    expect(await handlers.advancePhase({ contractId: c.contractId, phase: 'execute' })).toMatchObject({ id: c.contractId, phase: 'execute' })
    expect(h.plane.contracts.phaseLog(c.contractId).at(-1)).toMatchObject({ fromPhase: 'plan', toPhase: 'execute', by: 'user' })
    expect(() => handlers.advancePhase({ contractId: newId(), phase: 'execute' })).toThrow(/not found/)
  })

  it('bridge events: questionUpdated and contractUpdated in the bridge shapes', async () => {
    const events = new CoreEvents()
    const seen: string[] = []
    events.onAny((name, p) => seen.push(`${name}:${(p as { state?: string; phase?: string }).state ?? (p as { phase: string }).phase}`))
    const plane = new ControlPlane({ db: h.store.db, tasks: h.port, taskStore: h.taskRepo, output: h.output, log: silentLogger(), ...bridgeEventSinks(events) })
    const c = await plane.createContract({ name: 'E', goal: 'g', type: 'simple', repoUrl: h.repo })
    expect(c.ok).toBe(true)
    const sup = h.taskRepo.get(c.ok ? c.value.supervisorTaskId : '')!
    const q = plane.ask({ taskId: sup.id, task: sup }, { question: 'Go?' })
    plane.answer(q.id, 'Go')
    expect(seen).toEqual(['contractUpdated:plan', 'questionUpdated:pending', 'questionUpdated:answered'])
    plane.dispose()
  })

  it("a task's end cancels its pending questions; heartbeat checkpoints are recorded", async () => {
    const c = await h.contract()
    const sup = h.taskRepo.get(c.supervisorId)!
    const q = h.plane.ask({ taskId: sup.id, task: sup }, { question: 'Still there?' })
    h.port.emit({ type: 'checkpointCreated', taskId: sup.id, success: true, commitSha: 'a'.repeat(40), branchName: 'makima/x', message: '[WIP] Heartbeat', filesChanged: [{ action: 'added', path: 'f' }] })
    expect(h.plane.checkpoints.forTask(sup.id)).toMatchObject([{ sha: 'a'.repeat(40), contractId: c.contractId, files: [{ path: 'f' }] }])
    h.port.finish(sup.id, 'failed')
    expect(h.plane.questions.get(q.id)!.state).toBe('cancelled')
  })

  it('getContractDetail gathers files, reports, tasks, merges and questions', async () => {
    const c = await h.contract()
    const sup = h.taskRepo.get(c.supervisorId)!
    h.plane.contracts.addFile({ id: newId(), contractId: c.contractId, name: 'Plan', content: 'p', createdBy: sup.id })
    h.plane.contracts.addReport({ contractId: c.contractId, taskId: sup.id, kind: 'report', text: 'started' })
    h.plane.ask({ taskId: sup.id, task: sup }, { question: 'Q?' })
    const d = getContractDetail(h.plane, c.contractId)
    expect(d).toMatchObject({ id: c.contractId, repoUrl: h.repo, files: [{ name: 'Plan' }], reports: [{ text: 'started' }], tasks: [{ taskId: sup.id }], questions: [{ question: 'Q?' }] })
    expect(d.phaseLog).toMatchObject([{ fromPhase: null, toPhase: 'plan', by: 'created' }])
  })

  it('questions survive a restart: a new plane over the same file re-arms them and accepts the answer', async () => {
    const c = await h.contract()
    const sup = h.taskRepo.get(c.supervisorId)!
    const q = h.plane.ask({ taskId: sup.id, task: sup }, { question: 'After restart?', timeoutSeconds: 600 })
    const again = new ControlPlane({ db: h.store.db, tasks: h.port, taskStore: h.taskRepo, output: h.output, log: silentLogger() })
    const waiting = again.questions.wait(q.id, 10_000)
    expect(again.answer(q.id, 'yes').ok).toBe(true)
    expect(await waiting).toMatchObject({ state: 'answered', answer: 'yes' })
    again.dispose()
  })

  it('withOrchestrateScript writes .makima/orchestrate.sh for orchestrators only, excluded from git', async () => {
    const ws = new GitWorkspace({ worktreesDir: join(h.root, 'wt2'), reposDir: join(h.root, 'repos'), tempDir: join(h.root, 'tmp'), checkpointPatches: { enabled: false, maxSizeBytes: 0 } })
    const orch = newId()
    const plain = newId()
    const decorated = withOrchestrateScript(ws, { isOrchestrator: (id) => id === orch, makimaCommand: '/opt/makima bin/makima' })
    const o = await decorated.createWorktree(h.repo, orch, 'Orch', 'main')
    const p = await decorated.createWorktree(h.repo, plain, 'Plain', 'main')
    if (!o.ok || !p.ok) throw new Error('worktrees not created')
    const script = join(o.value.path, '.makima', 'orchestrate.sh')
    expect(readFileSync(script, 'utf8')).toContain(`exec '/opt/makima bin/makima' orchestrate "$@"`)
    expect(existsSync(join(p.value.path, '.makima'))).toBe(false)
    expect(git(o.value.path, 'status', '--porcelain')).toBe('')
    const tmp = await decorated.createTempDir(orch)
    await waitFor(() => existsSync(join(tmp, '.makima', 'orchestrate.sh')))
  })
})
