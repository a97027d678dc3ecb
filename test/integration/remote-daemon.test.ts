// Remote mode end to end: the headless daemon (a real process, real SQLite, real git) connects to
// a fake Makima server, runs a spawnTask with the REAL Claude Code CLI (scripted model), reports
// output, status and completion per PROTOCOL.md, answers a git command, and exits 42 on restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { daemonCommand, DAEMON_KINDS, startDaemon } from '../fixtures/built-daemon'
import { CLAUDE_BIN, claudeAvailable, claudeEnv } from '../fixtures/claude-env'
import { FakeServer } from '../fixtures/fake-server/server'
import { makeRepo, TempDirs } from '../fixtures/git/repos'
import { startModelServer, text, toolUse } from '../fixtures/model-server'

const TASK = '3a3a3a3a-1111-4222-8333-444455556666'
const KEY = 'mk_test_remote_key_123456'
const dirs = new TempDirs()
const cleanups: (() => Promise<unknown>)[] = []

// Builds out/ when stale, outside the test's own timeout.
beforeAll(() => daemonCommand('built'), 120_000)
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
  dirs.cleanup()
})

// The same story from the TypeScript source (tsx) and from the built bundle (out/main/daemon.js).
describe.runIf(claudeAvailable()).each(DAEMON_KINDS)('headless daemon (%s) against a Makima server', (kind) => {
  it('authenticates, runs a spawned task with the real CLI, answers commands, and exits 42 on restartDaemon', async () => {
    const server = new FakeServer({ acceptedKeys: [KEY] })
    cleanups.push(() => server.stop())
    await server.start()
    const model = await startModelServer({ turns: [toolUse('Write', { file_path: 'remote.txt', content: 'made remotely\n' }), text('Finished remotely.')] })
    cleanups.push(() => model.close())
    const env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-model' })
    cleanups.push(() => env.cleanup())
    const data = dirs.make('makima-remote-')
    const repo = makeRepo(dirs)
    const run = await startDaemon({
      kind,
      args: ['--data-dir', data, '--web-port', '0', '-s', server.url, '-k', KEY],
      env: { ...env.env, MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN },
    })
    cleanups.push(() => run.stop())

    await server.waitForSession(undefined, 20_000)
    await server.waitFor({ type: 'authenticate' }, 20_000)
    const auth = server.messages.find((m) => m.message?.type === 'authenticate')
    expect(auth?.message).toMatchObject({ type: 'authenticate', maxConcurrentTasks: 10 })

    server.send({ type: 'spawnTask', taskId: TASK, taskName: 'Remote work', plan: 'Write remote.txt', repoUrl: repo, baseBranch: 'main', depth: 0, isOrchestrator: false, isSupervisor: false, autonomousLoop: false, resumeSession: false })
    const done = await server.waitFor({ type: 'taskComplete', taskId: TASK }, 90_000)
    expect(done.message).toMatchObject({ type: 'taskComplete', taskId: TASK, success: true })

    const statuses = server.messages.filter((m) => m.message?.type === 'taskStatusChange').map((m) => m.message as { oldStatus: string; newStatus: string })
    expect(statuses.map((s) => `${s.oldStatus}->${s.newStatus}`)).toEqual(['pending->initializing', 'initializing->starting', 'starting->running'])
    const outputs = server.messages.filter((m) => m.message?.type === 'taskOutput').map((m) => (m.message as { output: string }).output)
    expect(outputs.some((o) => o.includes('"type":"result"'))).toBe(true)
    expect(server.invalid()).toEqual([])

    server.send({ type: 'getTaskDiff', taskId: TASK })
    const diff = await server.waitFor({ type: 'taskDiff', taskId: TASK }, 20_000)
    expect(diff.message).toMatchObject({ success: true })
    expect((diff.message as { diff?: string }).diff).toContain('+made remotely')

    // The server key never appears in the daemon's logs.
    expect(run.stderr()).toContain('core started')
    expect(run.stderr()).not.toContain(KEY)

    server.send({ type: 'restartDaemon' })
    expect((await run.exit).code).toBe(42)
  }, 180_000)
})
