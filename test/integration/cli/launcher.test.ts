// The real executables: the `makima` launcher (tsx from source, as tests and `npm run daemon`
// use it) and .makima/orchestrate.sh, run as child processes against a real tool API.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from 'esbuild'
import { bundledLauncherSpec, launcherScript, shQuote, sourceLauncherSpec, writeLauncher } from '../../../src-main/cli/launcher'
import { writeOrchestrateScript } from '../../../src-main/core/control/orchestrate-script'
import { git, makeControlHarness, newId, type ControlHarness } from '../core/control/harness'

const run = promisify(execFile)
const REPO_ROOT = resolve(__dirname, '../../..')

async function exec(cmd: string, args: string[], env: Record<string, string>, cwd?: string) {
  try {
    const r = await run(cmd, args, { env: { ...process.env, ...env }, cwd, timeout: 30_000 })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
  }
}

describe('makima launcher and orchestrate.sh as real processes', () => {
  let h: ControlHarness
  let binDir: string
  beforeAll(async () => {
    h = await makeControlHarness()
    binDir = join(h.root, 'bin')
    await writeLauncher(sourceLauncherSpec(binDir, REPO_ROOT))
  })
  afterAll(async () => {
    await h?.close()
  })

  it('writes an executable launcher whose paths are quoted', () => {
    const p = join(binDir, 'makima')
    expect(statSync(p).mode & 0o111).toBe(0o111)
    const text = readFileSync(p, 'utf8')
    expect(text.startsWith('#!/bin/sh\n')).toBe(true)
    expect(text).toContain(`${shQuote(join(REPO_ROOT, 'src-main', 'cli', 'makima.ts'))} "$@"`)
    expect(shQuote("it's")).toBe(`'it'\\''s'`)
    expect(launcherScript({ dir: '/x', node: '/n o/node', script: "/a'b/makima.js", env: { ELECTRON_RUN_AS_NODE: '1' } })).toContain(
      `export ELECTRON_RUN_AS_NODE='1'\nexec '/n o/node' '/a'\\''b/makima.js' "$@"`,
    )
  })

  it('`makima` found first on PATH: JSON on stdout, errors on stderr with exit 1, arguments passed verbatim', async () => {
    const c = await h.contract()
    const env = { ...h.cliEnv(c.supervisorId, c.contractId), PATH: `${binDir}${delimiter}${process.env.PATH}` }
    const status = await exec('sh', ['-c', 'makima supervisor status'], env)
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({ contractId: c.contractId, phase: 'plan' })
    // Shell metacharacters in a value reach the API as plain text.
    const tricky = `Plan with $(touch pwned) and "quotes" ; rm -rf / && 'x'`
    const spawned = await exec(join(binDir, 'makima'), ['supervisor', 'spawn', 'Tricky', tricky], env)
    expect(spawned.code).toBe(0)
    const id = JSON.parse(spawned.stdout).taskId as string
    expect(h.taskRepo.get(id)!.plan).toBe(tricky)
    expect(existsSync(join(h.root, 'pwned'))).toBe(false)
    const bad = await exec(join(binDir, 'makima'), ['supervisor', 'advance-phase', 'review'], env)
    expect(bad.code).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toMatch(/has no review phase/)
  })

  it('orchestrate.sh in an orchestrator worktree: excluded from git, drives subtasks through the CLI', async () => {
    const orch = newId()
    await h.port.spawn({ taskId: orch, taskName: 'Orch', plan: 'p', isOrchestrator: true, repoUrl: h.repo })
    const wt = h.taskRepo.get(orch)!.worktreePath!
    const script = await writeOrchestrateScript(wt, join(binDir, 'makima'))
    expect(script).toBe(join(wt, '.makima', 'orchestrate.sh'))
    expect(statSync(script).mode & 0o111).toBe(0o111)
    expect(git(wt, 'status', '--porcelain')).toBe('')
    await writeOrchestrateScript(wt, join(binDir, 'makima'))
    const exclude = readFileSync(join(git(wt, 'rev-parse', '--path-format=absolute', '--git-common-dir'), 'info', 'exclude'), 'utf8')
    expect(exclude.split('\n').filter((l) => l === '/.makima/')).toHaveLength(1)

    const env = h.cliEnv(orch)
    const created = await exec('./.makima/orchestrate.sh', ['create', 'Sub "one"', 'Do $(things)', '--files', 'README.md'], env, wt)
    expect(created.code).toBe(0)
    const sub = created.stdout.trim()
    expect(h.plane.planned.get(sub)).toMatchObject({ name: 'Sub "one"', plan: 'Do $(things)', files: ['README.md'] })
    expect((await exec('./.makima/orchestrate.sh', ['start', sub], env, wt)).code).toBe(0)
    const path = (await exec('./.makima/orchestrate.sh', ['worktree', sub], env, wt)).stdout.trim()
    expect(path).toBe(h.taskRepo.get(sub)!.worktreePath)
    const status = JSON.parse((await exec('./.makima/orchestrate.sh', ['status', sub], env, wt)).stdout)
    expect(status).toMatchObject({ taskId: sub, status: 'running', worktree_path: path })
    const unknown = await exec('./.makima/orchestrate.sh', ['fly'], env, wt)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/unknown orchestrate command "fly"/)
  })

  it('the bundled CLI (one CommonJS file, as in out/main/makima.js) runs with plain node', async () => {
    const outDir = join(h.root, 'out-main')
    await build({ entryPoints: [join(REPO_ROOT, 'src-main/cli/makima.ts')], outfile: join(outDir, 'makima.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' })
    const prodBin = join(h.root, 'prod-bin')
    const launcher = await writeLauncher(bundledLauncherSpec(prodBin, join(outDir, 'makima.js')))
    expect(readFileSync(launcher, 'utf8')).toContain(`exec ${shQuote(process.execPath)} ${shQuote(join(outDir, 'makima.js'))} "$@"`)
    const c = await h.contract('specification', 'Bundled')
    const r = await exec(launcher, ['contract', 'status'], h.cliEnv(c.supervisorId, c.contractId))
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toMatchObject({ contractId: c.contractId, phase: 'research' })
  })
})
