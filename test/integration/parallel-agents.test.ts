// The core promise: many agents at once, each in its own worktree of the same repository, none
// stepping on another. Six real Claude Code CLIs (scripted model) run concurrently under a cap of 4.
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src-main/core/config/load'
import { startCore, type Core } from '../../src-main/core/start'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../fixtures/claude-env'
import { git, makeRepo, TempDirs } from '../fixtures/git/repos'
import { startModelServer, text, toolUse, type ModelServer } from '../fixtures/model-server'

const dirs = new TempDirs()
let core: Core | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined

afterAll(async () => {
  await core?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

describe.runIf(claudeAvailable())('parallel agents', () => {
  it('runs six agents in separate worktrees, at most four at a time (the rest queue), each writing only its own file', async () => {
    // Each agent's scripted model reads its number from the plan and writes that file, slowly.
    model = await startModelServer({
      respond: (ctx) => {
        const first = JSON.stringify(ctx.body.messages?.[0] ?? '')
        const n = /agent number (\d+)/.exec(first)?.[1] ?? 'x'
        return ctx.lastMessageHasToolResult ? text(`agent ${n} done`) : { ...toolUse('Write', { file_path: `agent-${n}.txt`, content: `written by agent ${n}\n` }), delayMs: 300 }
      },
    })
    env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
    const dataDir = await mkdtemp(join(tmpdir(), 'makima-parallel-'))
    const loaded = await loadConfig({ argv: ['--data-dir', dataDir, '-m', '4'], env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }, cwd: dataDir, home: dataDir, etcDir: dataDir })
    if (loaded.kind !== 'config') throw new Error('no config')
    core = await startCore(loaded.config, { mode: 'daemon', stderr: null, agentEnv: env.env })
    const repo = makeRepo(dirs)
    let peak = 0
    core.events.on('taskUpdated', () => (peak = Math.max(peak, core!.manager.runningCount())))

    const create = async (n: number) => {
      const r = await core!.dispatch('createTask', { name: `Agent ${n}`, plan: `You are agent number ${n}.`, repoUrl: repo }, { trusted: true, label: 'test' })
      if (!r.ok) throw new Error(r.message)
      return r.value as { taskId: string; queued: boolean }
    }
    const created: { taskId: string; queued: boolean }[] = []
    for (const n of [1, 2, 3, 4, 5, 6]) created.push(await create(n))
    // The cap holds: the fifth and sixth wait their turn instead of being refused.
    expect(created.map((c) => c.queued)).toEqual([false, false, false, false, true, true])
    expect(core.tasks.get(created[5]!.taskId)?.state).toBe('pending')

    const states = () => core!.tasks.list({}).map((t) => `${t.name}: ${t.state}${t.errorMessage ? ` (${t.errorMessage})` : ''}`).sort().join('; ')
    try {
      await expect.poll(() => core!.tasks.list({ states: ['completed'] }).length, { timeout: 240_000 }).toBe(6)
    } catch (err) {
      throw new Error(`not all six completed: ${states()}`, { cause: err })
    }
    expect(peak).toBeLessThanOrEqual(4)

    const tasks = core.tasks.list({})
    expect(new Set(tasks.map((t) => t.worktreePath)).size).toBe(6)
    for (const t of tasks) {
      const n = /Agent (\d+)/.exec(t.name)![1]
      expect(readFileSync(join(t.worktreePath!, `agent-${n}.txt`), 'utf8')).toBe(`written by agent ${n}\n`)
      // No other agent's file leaked into this worktree.
      const untracked = git(t.worktreePath!, 'status', '--porcelain').split('\n').filter(Boolean)
      expect(untracked).toEqual([`?? agent-${n}.txt`])
    }
    expect(git(repo, 'status', '--porcelain')).toBe('') // the user's checkout is untouched
    expect(core.manager.runningCount()).toBe(0)
  }, 360_000)
})
