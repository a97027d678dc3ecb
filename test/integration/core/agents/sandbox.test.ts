// The bubblewrap sandbox with the real Claude Code CLI: a scripted Write outside the worktree
// fails, one inside succeeds; without the sandbox the same outside Write succeeds (the control).
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BWRAP_PATH, bwrapAvailable } from '../../../fixtures/tools'
import { AgentProcess } from '../../../../src-main/core/agents/agent-process'
import { buildClaudeArgv, claudeAgentEnv } from '../../../../src-main/core/agents/adapters/claude'
import type { ClassifiedLine } from '../../../../src-main/core/agents/classify'
import { claudeConfigPaths, findBwrap, prepareSandbox, SandboxUnavailableError, wrapWithBwrap } from '../../../../src-main/core/agents/sandbox'
import { CLAUDE_BIN, claudeAvailable, claudeEnv } from '../../../fixtures/claude-env'
import { startModelServer, text, toolUse } from '../../../fixtures/model-server'
import { pidAlive, tempDir, waitFor } from './helpers'
import { FAKE_CLAUDE, fakeEnv } from '../../../fixtures/fake-claude'
import { liveGroupMembers } from '../../../../src-main/core/agents/process-group'

const BWRAP = BWRAP_PATH
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function attempt(sandboxed: boolean) {
  const root = await tempDir('makima-sandbox-')
  cleanups.push(() => rm(root, { recursive: true, force: true }))
  const worktree = join(root, 'worktree')
  const outside = join(root, 'outside')
  const tmp = join(root, 'tmp')
  await Promise.all([worktree, outside].map((d) => import('node:fs/promises').then((fs) => fs.mkdir(d))))
  const model = await startModelServer({
    turns: [
      toolUse('Write', { file_path: join(outside, 'escape.txt'), content: 'should not exist' }),
      toolUse('Write', { file_path: join(worktree, 'inside.txt'), content: 'allowed' }),
      text('DONE'),
    ],
  })
  const env = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-test' })
  cleanups.push(() => model.close(), () => env.cleanup())
  let argv = buildClaudeArgv({ command: CLAUDE_BIN })
  if (sandboxed) {
    const paths = { worktree, tmpDir: tmp, writable: claudeConfigPaths(env.env) }
    await prepareSandbox(paths)
    argv = wrapWithBwrap(argv, paths, await findBwrap(BWRAP))
  }
  const agent = new AgentProcess({ ...argv, cwd: worktree, env: claudeAgentEnv(env.env, {}).env })
  const lines: ClassifiedLine[] = []
  agent.on('line', (l) => lines.push(l))
  agent.send('write the files')
  const exit = await agent.exited
  const toolResults = lines
    .filter((l) => l.kind === 'user')
    .flatMap((l) => (l.json!.message as { content: { type: string; is_error?: boolean; content: unknown }[] }).content)
    .filter((b) => b.type === 'tool_result')
  return { exit, worktree, outside, toolResults, lines }
}

describe('wrapWithBwrap', () => {
  it('builds a read-only root with the writable binds, TMPDIR, its own PID namespace and no new session', () => {
    const { command, args } = wrapWithBwrap({ command: 'claude', args: ['-p'] }, { worktree: '/w', tmpDir: '/t', writable: ['/h/.claude'] }, '/bin/bw')
    expect(command).toBe('/bin/bw')
    expect(args).toEqual(['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--bind', '/w', '/w', '--bind', '/t', '/t',
      '--bind', '/h/.claude', '/h/.claude', '--setenv', 'TMPDIR', '/t', '--unshare-pid', '--die-with-parent', '--chdir', '/w', '--', 'claude', '-p'])
    expect(args).not.toContain('--new-session')
    expect(args).not.toContain('--unshare-net')
    expect(() => wrapWithBwrap({ command: 'c', args: [] }, { worktree: 'rel', tmpDir: '/t' })).toThrow(/absolute/)
  })

  it('names the missing binary and how to install it', async () => {
    await expect(findBwrap('/nonexistent/bwrap')).rejects.toBeInstanceOf(SandboxUnavailableError)
    await expect(findBwrap('/nonexistent/bwrap')).rejects.toThrow(/apt install bubblewrap/)
  })
})

describe.runIf(bwrapAvailable())('process group through bwrap (fake CLI)', () => {
  it('pause stops the sandboxed child too, and interrupt leaves no process behind', async () => {
    const root = await tempDir('makima-sandbox-')
    cleanups.push(() => rm(root, { recursive: true, force: true }))
    const paths = { worktree: root, tmpDir: join(root, 'tmp') }
    await prepareSandbox(paths)
    const tick = join(root, 'ticks')
    const argv = wrapWithBwrap(buildClaudeArgv({ command: FAKE_CLAUDE }), paths)
    const agent = new AgentProcess({ ...argv, cwd: root, env: fakeEnv('spawn-child', { FAKE_CLAUDE_TICK_FILE: tick }) })
    cleanups.push(() => agent.stop())
    const lines: ClassifiedLine[] = []
    agent.on('line', (l) => lines.push(l))
    await waitFor(() => lines.some((l) => l.subtype === 'fake_child'), { what: 'the sandboxed child' })
    const members = (await liveGroupMembers(agent.pid!))!
    expect(members.length).toBeGreaterThanOrEqual(3) // bwrap, (its init), the fake, the child
    const size = async () => (await readFile(tick, 'utf8').catch(() => '')).length
    await waitFor(async () => (await size()) > 5)
    agent.pause()
    const state = async (pid: number) => (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]![0]
    await waitFor(async () => (await Promise.all(members.map(state))).every((s) => s === 'T'), { what: 'all stopped' })
    const frozen = await size()
    const until = Date.now() + 150
    await waitFor(() => Date.now() > until)
    expect(await size()).toBe(frozen)
    agent.resume()
    await waitFor(async () => (await size()) > frozen + 4, { what: 'ticks after resume' })
    await agent.interrupt()
    expect(await liveGroupMembers(agent.pid!)).toEqual([])
    expect(members.filter(pidAlive)).toEqual([])
  })
})

describe.skipIf(!claudeAvailable())('the sandbox with the real CLI', () => {
  it.runIf(bwrapAvailable())('blocks a Write outside the worktree and allows one inside', async () => {
    const r = await attempt(true)
    expect(r.exit.code).toBe(0)
    expect(existsSync(join(r.outside, 'escape.txt'))).toBe(false)
    expect(await readFile(join(r.worktree, 'inside.txt'), 'utf8')).toBe('allowed')
    expect(r.toolResults).toHaveLength(2)
    expect(r.toolResults[0]!.is_error).toBe(true)
    expect(JSON.stringify(r.toolResults[0]!.content)).toMatch(/read-only|EROFS/i)
    expect(r.toolResults[1]!.is_error ?? false).toBe(false)
  })

  it('without the sandbox the same outside Write succeeds (so the test above can fail)', async () => {
    const r = await attempt(false)
    expect(r.exit.code).toBe(0)
    expect(await readFile(join(r.outside, 'escape.txt'), 'utf8')).toBe('should not exist')
  })
})
