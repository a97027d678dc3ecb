// A repository that needs more than a checkout: its gitignored `.env` reaches the new worktree and
// its setup script runs there before the agent starts (the agent sees what it made); a failing
// script stops the task with the script's own words. Real core, real git, real Claude CLI.
import { writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startCore, type Core } from '../../../../src-main/core/start'
import { appConfig } from '../../../fixtures/browser/app'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { git, makeRepo, TempDirs } from '../../../fixtures/git/repos'
import { makeSetupRepo } from '../../../fixtures/git/setup-repo'
import { startModelServer, text, toolUse, type ModelServer } from '../../../fixtures/model-server'

const dirs = new TempDirs()
let core: Core | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined
afterEach(async () => {
  await core?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

async function run(repo: string) {
  let toolResult = ''
  model = await startModelServer({
    respond: (ctx) => {
      if (!ctx.lastMessageHasToolResult) return toolUse('Bash', { command: 'cat .env; cat setup-ran.txt', description: 'look' })
      toolResult = JSON.stringify(ctx.body.messages?.at(-1)?.content)
      return text('done')
    },
  })
  env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
  core = await startCore(await appConfig(dirs.make('makima-setup-'), { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN }), { mode: 'daemon', stderr: null, agentEnv: env.env })
  const created = await core.dispatch('createTask', { name: 'Set up', plan: 'Look around.', repoUrl: repo }, { trusted: true, label: 'test' })
  if (!created.ok) throw new Error(created.message)
  const taskId = (created.value as { taskId: string }).taskId
  await expect.poll(() => core!.tasks.get(taskId)?.state, { timeout: 90_000 }).toMatch(/completed|failed/)
  return { taskId, toolResult: () => toolResult, task: core.tasks.get(taskId)!, lines: core.output.tail(taskId, 200).map((l) => l.data) }
}

describe.runIf(claudeAvailable())('worktree setup', () => {
  it('copies the ignored .env and runs .makima/setup.sh before the agent starts', async () => {
    const repo = makeSetupRepo(dirs, 'SECRET=from-main-checkout\n')
    const r = await run(repo)
    expect(r.task.state).toBe('completed')
    const wt = r.task.worktreePath!
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('SECRET=from-main-checkout\n')
    // The agent's first command already saw the script's file: the setup ran first.
    expect(r.toolResult()).toContain('setup output SECRET=from-main-checkout')
    expect(r.lines.join('\n')).toContain('[setup] installing deps')
    expect(git(wt, 'status', '--porcelain')).toBe('') // both files stay ignored
    // Every lifecycle step is one info line naming the task.
    const logged = () => readFileSync(core!.config.log.file, 'utf8').split('\n').filter((l) => l.includes(`"taskId":"${r.taskId}"`) && l.includes('"scope":"task"')).map((l) => (JSON.parse(l) as { msg: string; name: string }))
    await expect.poll(() => logged().map((l) => `${l.msg} ${l.name}`)).toEqual(expect.arrayContaining(['task running Set up', 'task completed Set up']))
  }, 120_000)

  it('a failing setup script stops the task before the agent, with the script output', async () => {
    const repo = makeRepo(dirs)
    mkdirSync(join(repo, '.makima'))
    writeFileSync(join(repo, '.makima', 'setup.sh'), 'echo "npm: lockfile out of date" >&2\nexit 3\n')
    git(repo, 'add', '.makima/setup.sh')
    git(repo, 'commit', '-qm', 'failing setup')
    const r = await run(repo)
    expect(r.task.state).toBe('failed')
    expect(r.task.errorMessage).toContain('.makima/setup.sh failed (exit 3): npm: lockfile out of date')
    expect(model!.conversationRequests()).toHaveLength(0)
    expect(existsSync(join(r.task.worktreePath ?? '/nonexistent', 'setup-ran.txt'))).toBe(false)
  }, 120_000)
})
