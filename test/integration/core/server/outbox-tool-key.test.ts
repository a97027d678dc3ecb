// Remote mode, a whole core: while the server is away, a task's registerToolKey waits in the outbox
// and the live tool key is nowhere in the database's bytes (file, WAL, SHM); once the server is
// back it receives the frame with the live key (the reference is resolved at send time).
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../../src-main/core/config/load'
import { startCore, type Core } from '../../../../src-main/core/start'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { FakeServer } from '../../../fixtures/fake-server/server'
import { makeRepo, TempDirs } from '../../../fixtures/git/repos'
import { hang, startModelServer, type ModelServer } from '../../../fixtures/model-server'

const dirs = new TempDirs()
const SERVER_KEY = 'mk_outbox_tool_key_test'
const who = { trusted: true, label: 'test' }
let core: Core | undefined
let server: FakeServer | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined

afterAll(async () => {
  await core?.stop()
  await server?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

const rawBytes = (path: string) => Buffer.concat(['', '-wal', '-shm'].map((s) => (existsSync(path + s) ? readFileSync(path + s) : Buffer.alloc(0))))

describe.runIf(claudeAvailable())('a queued registerToolKey', () => {
  it('holds no tool key on disk, and the server still gets the live key', async () => {
    server = new FakeServer({ acceptedKeys: [SERVER_KEY] })
    await server.start()
    await server.kill() // its port is known; it comes back later
    model = await startModelServer({ respond: () => hang() })
    env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
    const dataDir = dirs.make('makima-outbox-key-')
    const loaded = await loadConfig({
      argv: ['--data-dir', dataDir, '-s', server.url],
      env: { MAKIMA_API_KEY: SERVER_KEY, MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN, MAKIMA_DAEMON_SERVER_RECONNECTINTERVALSECS: '1' },
      cwd: dataDir, home: dataDir, etcDir: dataDir,
    })
    if (loaded.kind !== 'config') throw new Error('no config')
    core = await startCore(loaded.config, { mode: 'daemon', stderr: null, agentEnv: env.env })
    const keys: string[] = []
    core.manager.onEvent((e) => e.type === 'registerToolKey' && keys.push(e.key))

    const created = await core.dispatch('createTask', { name: 'Holds a key', plan: 'Wait', repoUrl: makeRepo(dirs), mode: 'orchestrator' }, who)
    if (!created.ok) throw new Error(created.message)
    const { taskId } = created.value as { taskId: string }
    await expect.poll(() => keys.length, { timeout: 60_000 }).toBeGreaterThan(0)
    const queued = core.store.db.prepare("SELECT COUNT(*) AS n FROM server_outbox WHERE type = 'registerToolKey' AND task_id = ?").get(taskId) as { n: number }
    expect(queued.n).toBe(1)
    const bytes = rawBytes(core.config.localDb.path)
    expect(bytes.includes(taskId)).toBe(true) // the row is there, and the search sees it
    expect(bytes.includes(keys.at(-1)!)).toBe(false)

    await server.start() // same port: the link reconnects and drains the outbox
    const got = await server.waitFor({ type: 'registerToolKey', taskId }, 30_000)
    expect((got.message as { key: string }).key).toBe(core.manager.toolKey(taskId))
  }, 180_000)
})
