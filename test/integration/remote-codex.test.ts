// Remote mode with another agent: the built headless daemon, connected to a fake Makima server, gets
// a spawnTask naming `agent: "codex"` (our protocol extension, docs/PROTOCOL-EXTENSIONS.md) and runs
// it with the REAL Codex CLI against a scripted Responses API: the server sees the usual status
// changes, Codex's own output lines, a successful completion, and the change in the task's diff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { daemonCommand, startDaemon } from '../fixtures/built-daemon'
import { CODEX_BIN, codexAvailable, codexEnv } from '../fixtures/codex-env'
import { FakeServer } from '../fixtures/fake-server/server'
import { makeRepo, TempDirs } from '../fixtures/git/repos'
import { call, say, startResponsesServer } from '../fixtures/openai-responses-server'

const TASK = '5c5c5c5c-1111-4222-8333-444455556666'
const KEY = 'mk_test_remote_codex_key_1234'
const PATCH = "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: remote.txt\n+made by codex remotely\n*** End Patch\nEOF"
const dirs = new TempDirs()
const cleanups: (() => Promise<unknown>)[] = []

beforeAll(() => daemonCommand('built'), 120_000)
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
  dirs.cleanup()
})

describe.runIf(codexAvailable())('a remote spawnTask on Codex', () => {
  it('runs the task with the real Codex CLI and reports it per PROTOCOL.md', async () => {
    const server = new FakeServer({ acceptedKeys: [KEY] })
    cleanups.push(() => server.stop())
    await server.start()
    const model = await startResponsesServer({ turns: [call('exec_command', { cmd: PATCH }), say('Codex finished remotely.')] })
    cleanups.push(() => model.close())
    const env = await codexEnv({ baseUrl: model.url })
    cleanups.push(() => env.cleanup())
    const run = await startDaemon({
      kind: 'built',
      args: ['--data-dir', dirs.make('makima-remote-codex-'), '--web-port', '0', '-s', server.url, '-k', KEY],
      env: { ...env.env, MAKIMA_DAEMON_AGENT_CODEX_COMMAND: CODEX_BIN },
    })
    cleanups.push(() => run.stop())
    await server.waitFor({ type: 'authenticate' }, 20_000)

    server.send({ type: 'spawnTask', taskId: TASK, taskName: 'Remote codex', plan: 'Write remote.txt', repoUrl: makeRepo(dirs), baseBranch: 'main', depth: 0, isOrchestrator: false, isSupervisor: false, autonomousLoop: false, resumeSession: false, agent: 'codex' })
    const done = await server.waitFor({ type: 'taskComplete', taskId: TASK }, 120_000)
    expect(done.message).toMatchObject({ type: 'taskComplete', taskId: TASK, success: true })
    const statuses = server.messages.filter((m) => m.message?.type === 'taskStatusChange').map((m) => m.message as { oldStatus: string; newStatus: string })
    expect(statuses.map((s) => `${s.oldStatus}->${s.newStatus}`)).toEqual(['pending->initializing', 'initializing->starting', 'starting->running'])
    // The output is Codex's own JSONL, as printed: it ran, not Claude.
    const outputs = server.messages.filter((m) => m.message?.type === 'taskOutput').map((m) => (m.message as { output: string }).output)
    expect(outputs.some((o) => o.includes('"type":"thread.started"'))).toBe(true)
    expect(outputs.some((o) => o.includes('Codex finished remotely.'))).toBe(true)
    expect(model.requests.length).toBeGreaterThanOrEqual(2)
    expect(server.invalid()).toEqual([])

    server.send({ type: 'getTaskDiff', taskId: TASK })
    const diff = await server.waitFor({ type: 'taskDiff', taskId: TASK }, 20_000)
    expect((diff.message as { diff?: string }).diff).toContain('+made by codex remotely')
    expect(run.stderr()).not.toContain(KEY)
  }, 240_000)
})
