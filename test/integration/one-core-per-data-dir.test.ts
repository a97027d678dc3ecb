// Two cores on one data directory: the app's core runs an agent (real Claude CLI, its model held
// mid-turn); the built daemon started on the same directory refuses with the holder's pid, exits
// non-zero and touches nothing — the first core's agent is still running afterwards.
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCore, type Core } from '../../src-main/core/start'
import { appConfig } from '../fixtures/browser/app'
import { builtApp } from '../fixtures/built-app'
import { CLAUDE_BIN, claudeEnv, type ClaudeEnv } from '../fixtures/claude-env'
import { makeRepo, TempDirs } from '../fixtures/git/repos'
import { hang, startModelServer, type ModelServer } from '../fixtures/model-server'

const dirs = new TempDirs()
let model: ModelServer
let env: ClaudeEnv
let core: Core | undefined
let daemonScript: string

beforeAll(async () => {
  daemonScript = (await builtApp()).daemonScript
  model = await startModelServer({ respond: () => hang() })
  env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
}, 120_000)
afterAll(async () => {
  await core?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('one core per data directory', () => {
  it('a second core refuses with the holder pid and leaves the first core’s agent running', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-two-cores-'))
    core = await startCore(await appConfig(data, { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }), { mode: 'electron', stderr: null, agentEnv: env.env })
    const created = await core.dispatch('createTask', { name: 'Long job', plan: 'Work for a while.', repoUrl: makeRepo(dirs) }, { trusted: true, label: 'test' })
    if (!created.ok) throw new Error(created.message)
    const taskId = (created.value as { taskId: string }).taskId
    await expect.poll(() => model.conversationRequests().length, { timeout: 60_000 }).toBeGreaterThan(0)
    const agentPid = core.tasks.get(taskId)?.agentPid
    expect(agentPid).toBeTypeOf('number')

    const child = spawn(process.execPath, [daemonScript, '--data-dir', data, '--web-port', '0'], { env: { PATH: process.env.PATH, HOME: data }, stdio: ['ignore', 'pipe', 'pipe'] })
    child.on('error', () => undefined)
    let out = ''
    let err = ''
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    // On a held directory the daemon must exit by itself; a daemon that starts prints its ready line.
    const code = await new Promise<number | null>((resolveExit, reject) => {
      child.on('exit', (c) => resolveExit(c))
      child.stdout!.on('data', () => out.includes('ready') && reject(new Error(`the second core started: ${out}`)))
    }).finally(() => child.kill('SIGKILL'))
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err.trim()).toBe(
      `the data directory ${data} is in use by Makima (pid ${process.pid}, electron, since ${err.match(/since ([^)]+)\)/)?.[1]}); stop it first, or start this one with --data-dir <another directory>`,
    )
    expect(alive(agentPid!)).toBe(true)
    expect(core.tasks.get(taskId)?.state).toBe('running')
  }, 180_000)
})
