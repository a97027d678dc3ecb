// Every `makima` command, run through the CLI's own entry (runCli) against a real tool API over a
// real SQLite file, real git worktrees and a port implementation of the task manager.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../src-main/cli/makima'
import { controlHandlers } from '../../../src-main/core/control/bridge-handlers'
import { recordedCalls } from '../../fixtures/fake-gh'
import { git, makeControlHarness, newId, waitFor, type ControlHarness } from '../core/control/harness'

interface Run {
  code: number
  out: string
  err: string
  json: Record<string, unknown> & { [k: string]: unknown }
}

async function makima(env: Record<string, string>, argv: string[], stdin = ''): Promise<Run> {
  let out = ''
  let err = ''
  const code = await runCli(argv, env, { out: (t) => (out += t), err: (t) => (err += t), readStdin: async () => stdin, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))) })
  let json: Run['json'] = {}
  try {
    json = JSON.parse(out) as Run['json']
  } catch {
    /* text output */
  }
  return { code, out, err, json }
}

describe('makima CLI against the tool API', () => {
  let h: ControlHarness
  let contractId: string
  let supervisorId: string
  let sup: Record<string, string>
  beforeAll(async () => {
    h = await makeControlHarness({ maxWaitMs: 2000 })
    const c = await h.contract('simple', 'Add features')
    contractId = c.contractId
    supervisorId = c.supervisorId
    sup = h.cliEnv(supervisorId, contractId)
  })
  afterAll(async () => {
    await h?.close()
  })

  it('supervisor: status, phases, branch, spawn, tasks, tree, task, wait, diff, read-file, output, merge, checkpoint(s), pr, complete', async () => {
    const status = await makima(sup, ['supervisor', 'status'])
    expect(status.code).toBe(0)
    expect(status.json).toMatchObject({ contractId, type: 'simple', phase: 'plan', status: 'active', nextPhase: 'execute' })

    const wrongPhase = await makima(sup, ['supervisor', 'advance-phase', 'review'])
    expect(wrongPhase.code).toBe(1)
    expect(wrongPhase.out).toBe('')
    expect(wrongPhase.err).toMatch(/simple contract has no review phase/)
    const early = await makima(sup, ['supervisor', 'complete'])
    expect(early.code).toBe(1)
    expect(early.err).toMatch(/only in its execute phase/)
    expect((await makima(sup, ['supervisor', 'advance-phase', 'execute'])).json).toMatchObject({ success: true, phase: 'execute' })

    const branch = await makima(sup, ['supervisor', 'branch', 'makima/add-features'])
    expect(branch.json).toMatchObject({ success: true, branch: 'makima/add-features', created: true })
    const supWt = h.taskRepo.get(supervisorId)!.worktreePath!
    expect(git(supWt, 'branch', '--show-current')).toBe('makima/add-features')
    expect((await makima(sup, ['supervisor', 'branch', 'makima/add-features'])).json).toMatchObject({ created: false })
    expect((await makima(sup, ['supervisor', 'branch', 'bad..name'])).code).toBe(1)

    const a = await makima(sup, ['supervisor', 'spawn', 'Write A', 'Create a.txt'])
    expect(a.code).toBe(0)
    const A = String(a.json.taskId)
    const B = String((await makima(sup, ['supervisor', 'spawn', 'Write B', 'Create b.txt', '--parent', supervisorId])).json.taskId)
    expect(h.port.spawned.at(-1)).toMatchObject({ taskId: B, taskName: 'Write B', plan: 'Create b.txt', contractId, parentTaskId: supervisorId, repoUrl: h.repo })

    const tasks = await makima(sup, ['supervisor', 'tasks'])
    expect((tasks.json as unknown as { taskId: string }[]).map((t) => t.taskId).sort()).toEqual([A, B].sort())
    const tree = await makima(sup, ['supervisor', 'tree'])
    const roots = (tree.json as { tasks: { taskId: string; children: { taskId: string }[] }[] }).tasks
    expect(roots.map((r) => r.taskId)).toEqual([supervisorId])
    expect(roots[0]!.children.map((c) => c.taskId).sort()).toEqual([A, B].sort())
    expect((await makima(sup, ['supervisor', 'task', A])).json).toMatchObject({ taskId: A, name: 'Write A', status: 'running', isTerminal: false })

    const wtA = h.taskRepo.get(A)!.worktreePath!
    const wtB = h.taskRepo.get(B)!.worktreePath!
    writeFileSync(join(wtA, 'a.txt'), 'from A\n')
    writeFileSync(join(wtB, 'b.txt'), 'from B\n')

    const notYet = await makima(sup, ['supervisor', 'wait', A, '0.3', '--poll-interval', '0.1'])
    expect(notYet.code).toBe(0)
    expect(notYet.json).toMatchObject({ taskId: A, status: 'running', timedOut: true })
    const mergeEarly = await makima(sup, ['supervisor', 'merge', A, '--to', 'makima/add-features'])
    expect(mergeEarly.code).toBe(1)
    expect(mergeEarly.err).toMatch(/still running; wait for it first/)

    // Finish A only once the CLI's wait is parked in the plane, so the waiting path is the one tested.
    const plane = h.plane as unknown as { waitForTask: (...a: unknown[]) => Promise<unknown> }
    const realWait = plane.waitForTask.bind(plane)
    let parked!: () => void
    const isParked = new Promise<void>((r) => (parked = r))
    plane.waitForTask = (...a) => {
      const p = realWait(...a)
      parked()
      return p
    }
    const waiting = makima(sup, ['supervisor', 'wait', A, '60'])
    await isParked
    plane.waitForTask = realWait
    h.port.finish(A)
    const waited = await waiting
    expect(waited.json).toMatchObject({ taskId: A, status: 'completed', isTerminal: true, timedOut: false })

    const diff = await makima(sup, ['supervisor', 'diff', A])
    expect(diff.json).toMatchObject({ taskId: A, kind: 'uncommitted', files: ['a.txt'] })
    expect(String(diff.json.diff)).toContain('+from A')
    expect((await makima(sup, ['supervisor', 'read-file', A, 'a.txt'])).json).toMatchObject({ path: 'a.txt', content: 'from A\n' })
    const escape = await makima(sup, ['supervisor', 'read-file', A, '../../../etc/passwd'])
    expect(escape.code).toBe(1)
    expect(escape.err).toMatch(/outside the task's worktree/)

    h.output.append(A, [
      { kind: 'assistant', data: JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: 'Writing a.txt now' }] } }) },
      { kind: 'result', data: JSON.stringify({ type: 'result', result: 'Created a.txt' }) },
    ])
    const output = await makima(sup, ['supervisor', 'output', A])
    expect(output.json).toMatchObject({ taskId: A, total: 2, output: ['Writing a.txt now', '[result] Created a.txt'] })

    expect((await makima(sup, ['supervisor', 'merge', A, '--to', 'makima/add-features'])).json).toMatchObject({ success: true, targetBranch: 'makima/add-features', squash: false })
    h.port.finish(B)
    expect((await makima(sup, ['supervisor', 'merge', B, '--to', 'makima/add-features', '--squash'])).json).toMatchObject({ success: true, squash: true })
    expect(git(h.repo, 'show', 'makima/add-features:a.txt')).toBe('from A')
    expect(git(h.repo, 'show', 'makima/add-features:b.txt')).toBe('from B')
    expect((await makima(sup, ['supervisor', 'merge', supervisorId])).code).toBe(1)

    expect((await makima(sup, ['supervisor', 'checkpoint', 'Nothing yet'])).json).toMatchObject({ success: true, created: false })
    writeFileSync(join(supWt, 'NOTES.md'), 'notes\n')
    const cp = await makima(sup, ['supervisor', 'checkpoint', 'Notes checkpoint'])
    expect(cp.json).toMatchObject({ success: true, created: true, message: 'Notes checkpoint' })
    const cps = await makima(sup, ['supervisor', 'checkpoints'])
    expect((cps.json as { checkpoints: { sha: string }[] }).checkpoints.map((c) => c.sha)).toEqual([cp.json.sha])
    expect((await makima(sup, ['supervisor', 'checkpoints', A])).json).toMatchObject({ taskId: A, checkpoints: [] })

    const pr = await makima(sup, ['supervisor', 'pr', 'makima/add-features', '--title', 'Add features', '--body', 'Both files', '--base', 'main'])
    expect(pr.code).toBe(0)
    expect(pr.json).toMatchObject({ success: true, url: 'https://github.com/example/repo/pull/42', number: 42, branch: 'makima/add-features', base: 'main' })
    expect(recordedCalls(h.ghLog)).toContainEqual(['pr', 'create', '--title', 'Add features', '--body', 'Both files', '--base', 'main', '--head', 'makima/add-features'])
    expect((await makima(sup, ['supervisor', 'pr', 'makima/add-features'])).err).toMatch(/--title is required/)

    const done = await makima(sup, ['supervisor', 'complete'])
    expect(done.json).toMatchObject({ success: true, status: 'completed' })
    expect((await makima(sup, ['supervisor', 'status'])).json).toMatchObject({ status: 'completed', pullRequests: [{ number: 42 }] })
    expect(h.plane.contracts.phaseLog(contractId).map((p) => p.toPhase)).toEqual(['plan', 'execute'])
  })

  it('supervisor ask: answered through the bridge handler; a short timeout gives a clear JSON answer', async () => {
    const c = await h.contract('specification', 'Ask things')
    const env = h.cliEnv(c.supervisorId, c.contractId)
    const asking = makima(env, ['supervisor', 'ask', 'Ready to create PR?', '--choices', 'Yes, No ,Need more changes', '--context', 'After task X'])
    const pending = await waitFor(() => h.plane.questions.list({ pendingOnly: true }).find((q) => q.taskId === c.supervisorId))
    expect(pending).toMatchObject({ question: 'Ready to create PR?', choices: ['Yes', 'No', 'Need more changes'], context: 'After task X', timeoutSeconds: 3600, contractId: c.contractId })
    const handlers = controlHandlers(h.plane)
    expect((await handlers.listQuestions({ pendingOnly: true })).map((q) => q.id)).toContain(pending.id)
    const answered = await handlers.answerQuestion({ questionId: pending.id, answer: 'Yes' })
    expect(answered).toMatchObject({ id: pending.id, state: 'answered', answer: 'Yes' })
    const r = await asking
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ questionId: pending.id, answered: true, answer: 'Yes', status: 'answered' })
    expect(h.questionEvents).toContain(`${pending.id}:answered`)

    const t0 = Date.now()
    const timedOut = await makima(env, ['supervisor', 'ask', 'Anyone there?', '--timeout', '1'])
    expect(timedOut.code).toBe(0)
    expect(timedOut.json).toMatchObject({ answered: false, answer: null, timedOut: true, status: 'timed-out' })
    expect(String(timedOut.json.message)).toMatch(/No answer from the user within 1 seconds/)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900)
  })

  it('contract: status, checklist, files, create-file, file, update-file, report, suggest-action, completion-action', async () => {
    const c = await h.contract('specification', 'Docs')
    const spawned = await makima(h.cliEnv(c.supervisorId, c.contractId), ['supervisor', 'spawn', 'Research', 'Look around'])
    const task = String(spawned.json.taskId)
    const env = h.cliEnv(task, c.contractId)
    expect((await makima(env, ['contract', 'status'])).json).toMatchObject({ contractId: c.contractId, name: 'Docs', phase: 'research', type: 'specification' })
    const list0 = await makima(env, ['contract', 'checklist'])
    expect(list0.json).toMatchObject({ phase: 'research', allDone: false })
    expect(await makima(env, ['contract', 'files'])).toMatchObject({ code: 0, json: [] })
    const created = await makima(env, ['contract', 'create-file', 'Findings'], '# Findings\nnone yet\n')
    expect(created.json).toMatchObject({ success: true, name: 'Findings', createdBy: task })
    const fid = String(created.json.id)
    expect((await makima(env, ['contract', 'files'])).json).toMatchObject([{ id: fid, name: 'Findings' }])
    expect((await makima(env, ['contract', 'file', fid])).json).toMatchObject({ id: fid, content: '# Findings\nnone yet\n' })
    expect((await makima(env, ['contract', 'update-file', fid], '# Findings\nall good\n')).json).toMatchObject({ success: true, id: fid })
    expect((await makima(env, ['contract', 'file', fid])).json.content).toBe('# Findings\nall good\n')
    expect((await makima(env, ['contract', 'file', newId()])).code).toBe(1)
    const list1 = await makima(env, ['contract', 'checklist'])
    expect((list1.json.items as { item: string; done: boolean }[]).find((i) => i.item === 'Record findings in a contract file')!.done).toBe(true)
    expect((await makima(env, ['contract', 'report', 'Found the auth module'])).json).toMatchObject({ success: true })
    expect(h.plane.contracts.reports({ contractId: c.contractId }).map((r) => r.text)).toContain('Found the auth module')
    expect((await makima(env, ['contract', 'suggest-action'])).json).toMatchObject({ action: 'finish', phase: 'research' })
    const comp = await makima(env, ['contract', 'completion-action', '--files', 'a.rs, b.rs', '--code'])
    expect(comp.json).toMatchObject({ success: true, recommendedAction: 'merge', files: ['a.rs', 'b.rs'], code: true })
    // Outside a contract the contract commands say why.
    const noContract = await makima({ ...env, MAKIMA_CONTRACT_ID: '' }, ['contract', 'status'])
    expect(noContract.code).toBe(1)
    expect(noContract.err).toMatch(/MAKIMA_CONTRACT_ID is not set/)
  })

  it('orchestrate: list, create (--files, --continue-from), start, status, worktree, output, stop, done', async () => {
    const orch = newId()
    await h.port.spawn({ taskId: orch, taskName: 'Orchestrate', plan: 'coordinate', isOrchestrator: true, repoUrl: h.repo })
    const env = h.cliEnv(orch)
    const owt = h.taskRepo.get(orch)!.worktreePath!
    writeFileSync(join(owt, 'PLAN.md'), 'the plan\n')
    expect(await makima(env, ['orchestrate', 'list'])).toMatchObject({ code: 0, json: [] })
    const createA = await makima(env, ['orchestrate', 'create', 'Step A', 'Follow PLAN.md', '--files', 'PLAN.md'])
    const A = createA.out.trim()
    expect(A).toMatch(/^[0-9a-f-]{36}$/)
    expect((await makima(env, ['orchestrate', 'status', A])).json).toMatchObject({ taskId: A, status: 'pending', files: ['PLAN.md'], worktree_path: null })
    expect((await makima(env, ['orchestrate', 'worktree', A])).code).toBe(1)
    expect((await makima(env, ['orchestrate', 'start', A])).json).toMatchObject({ success: true, taskId: A, status: 'running' })
    expect((await makima(env, ['orchestrate', 'start', A])).err).toMatch(/already started/)
    const wtA = (await makima(env, ['orchestrate', 'worktree', A])).out.trim()
    expect(wtA).toBe(h.taskRepo.get(A)!.worktreePath)
    expect(readFileSync(join(wtA, 'PLAN.md'), 'utf8')).toBe('the plan\n')
    expect(h.port.spawned.at(-1)).toMatchObject({ taskId: A, parentTaskId: orch, copyFiles: ['PLAN.md'], repoUrl: h.repo })
    writeFileSync(join(wtA, 'step-a.txt'), 'A did this\n')
    h.port.finish(A)

    const B = (await makima(env, ['orchestrate', 'create', 'Step B', 'Build on A', '--continue-from', A])).out.trim()
    expect((await makima(env, ['orchestrate', 'start', B])).code).toBe(0)
    const wtB = (await makima(env, ['orchestrate', 'worktree', B])).out.trim()
    expect(readFileSync(join(wtB, 'step-a.txt'), 'utf8')).toBe('A did this\n')
    const st = await makima(env, ['orchestrate', 'status', B])
    expect(st.json).toMatchObject({ taskId: B, status: 'running', continueFromTaskId: A, worktree_path: wtB })
    h.output.append(B, [{ kind: 'notice', data: 'Worktree ready' }])
    expect((await makima(env, ['orchestrate', 'output', B])).json).toMatchObject({ taskId: B, output: ['Worktree ready'] })
    expect((await makima(env, ['orchestrate', 'stop', B])).json).toMatchObject({ success: true, status: 'interrupted' })
    const list = await makima(env, ['orchestrate', 'list'])
    expect((list.json as unknown as { taskId: string; status: string }[]).map((t) => [t.taskId, t.status])).toEqual([[A, 'completed'], [B, 'interrupted']])
    expect((await makima(env, ['orchestrate', 'create', 'C', 'p', '--continue-from', newId()])).err).toMatch(/not found/)
    const done = await makima(env, ['orchestrate', 'done', 'Integrated A and B'])
    expect(done.json).toMatchObject({ success: true, summary: 'Integrated A and B', stillRunning: [] })
    expect(existsSync(wtB)).toBe(true)
  })

  it('supervisor spawn --agent names the subtask\'s agent; an unknown agent is refused', async () => {
    const c = await h.contract('simple', 'Agents')
    const sup = h.cliEnv(c.supervisorId, c.contractId)
    const r = await makima(sup, ['supervisor', 'spawn', 'On Codex', 'Do it with Codex', '--agent', 'codex'])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const taskId = String(r.json.taskId)
    expect(h.port.spawned.find((s) => s.taskId === taskId)).toMatchObject({ agent: 'codex' })
    const bad = await makima(sup, ['supervisor', 'spawn', 'On what', 'p', '--agent', 'cobol'])
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/agent/)
  })

  it('usage errors and a missing environment exit 1 with the reason on stderr', async () => {
    const r1 = await makima(sup, ['supervisor', 'spawn', 'only-a-name'])
    expect(r1).toMatchObject({ code: 1, out: '' })
    expect(r1.err).toMatch(/missing arguments[\s\S]*Usage: makima supervisor spawn/)
    expect((await makima(sup, ['supervisor', 'merge', 'x', '--fast'])).err).toMatch(/unknown option --fast/)
    expect((await makima(sup, ['supervisor', 'wait', 'x', 'soon'])).err).toMatch(/timeout must be a number of seconds/)
    expect((await makima(sup, ['supervisor', 'fly'])).err).toMatch(/unknown supervisor command "fly"/)
    expect((await makima(sup, ['bogus'])).code).toBe(1)
    const noEnv = await makima({}, ['supervisor', 'status'])
    expect(noEnv.code).toBe(1)
    expect(noEnv.err).toMatch(/MAKIMA_API_URL and MAKIMA_API_KEY must be set/)
    const down = await makima({ ...sup, MAKIMA_API_URL: 'http://127.0.0.1:1' }, ['supervisor', 'status'])
    expect(down.code).toBe(1)
    expect(down.err).toMatch(/cannot reach the Makima API/)
    const badKey = await makima({ ...sup, MAKIMA_API_KEY: 'nope' }, ['supervisor', 'status'])
    expect(badKey.err).toMatch(/tool key is not valid/)
  })
})
