// worktree.allowed_roots (issue 12, item 6), through a whole core: with a root configured, a task
// on a repository outside it is refused at once with a clear error (also through a symlink inside
// the root, and as a file:// URL), nothing is queued or started; a repository inside runs (REAL
// Claude CLI); new:// is not confined. Real directories, real symlinks, real git.
import { mkdirSync, renameSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../../src-main/core/config/load'
import { startCore, type Core } from '../../../../src-main/core/start'
import { CLAUDE_BIN, claudeAvailable, claudeEnv, type ClaudeEnv } from '../../../fixtures/claude-env'
import { makeRepo, TempDirs } from '../../../fixtures/git/repos'
import { startModelServer, text, type ModelServer } from '../../../fixtures/model-server'

const dirs = new TempDirs()
const who = { trusted: true, label: 'test' }
let core: Core | undefined
let model: ModelServer | undefined
let env: ClaudeEnv | undefined

afterAll(async () => {
  await core?.stop()
  await model?.close()
  await env?.cleanup()
  dirs.cleanup()
})

/** A repository moved to `dir/name`. */
function repoAt(dir: string, name: string): string {
  const path = join(dir, name)
  renameSync(makeRepo(dirs), path)
  return path
}

describe.runIf(claudeAvailable())('worktree.allowed_roots', () => {
  it('refuses repositories outside the roots with a clear error and runs the ones inside', async () => {
    model = await startModelServer({ respond: () => text('done inside the root') })
    env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
    const base = dirs.make('makima-roots-')
    const root = join(base, 'allowed')
    const outside = join(base, 'outside')
    mkdirSync(root)
    mkdirSync(outside)
    const inside = repoAt(root, 'inside')
    const secret = repoAt(outside, 'secret')
    symlinkSync(secret, join(root, 'sneaky'))
    const dataDir = dirs.make('makima-roots-data-')
    const loaded = await loadConfig({
      argv: ['--data-dir', dataDir],
      env: { MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN, MAKIMA_DAEMON_WORKTREE_ALLOWEDROOTS: JSON.stringify([root]) },
      cwd: dataDir, home: dataDir, etcDir: dataDir,
    })
    if (loaded.kind !== 'config') throw new Error('no config')
    core = await startCore(loaded.config, { mode: 'daemon', stderr: null, agentEnv: env.env })
    const create = (repoUrl: string) => core!.dispatch('createTask', { name: 'Roots', plan: 'Say done', repoUrl }, who)

    expect(await create(secret)).toEqual({
      ok: false, code: 'invalid-params',
      message: `The repository ${secret} is outside worktree.allowed_roots (${root}); use a repository inside them or add its directory to worktree.allowed_roots`,
    })
    expect(await create(join(root, 'sneaky'))).toEqual({
      ok: false, code: 'invalid-params',
      message: `The repository ${join(root, 'sneaky')} (it resolves to ${secret}) is outside worktree.allowed_roots (${root}); use a repository inside them or add its directory to worktree.allowed_roots`,
    })
    expect(await create(pathToFileURL(secret).href)).toMatchObject({ ok: false, code: 'invalid-params', message: expect.stringContaining('is outside worktree.allowed_roots') })
    expect(await create(join(root, 'missing'))).toMatchObject({ ok: false, code: 'invalid-params', message: expect.stringContaining('cannot be resolved (ENOENT)') })
    expect(core.tasks.list()).toEqual([]) // nothing recorded, queued or started

    for (const repoUrl of [inside, 'new://fresh-project']) {
      const r = await create(repoUrl)
      if (!r.ok) throw new Error(r.message)
      const { taskId } = r.value as { taskId: string }
      await expect.poll(() => core!.tasks.get(taskId)?.state, { timeout: 120_000, interval: 100 }).toBe('completed')
    }
  }, 240_000)
})
