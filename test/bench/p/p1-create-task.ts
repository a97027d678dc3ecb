// P1: create a task on a 2,000-file repository → the agent's first line at a bridge client (the
// built core, the real Claude CLI against the scripted model server), against the physical
// baseline: a raw `git worktree add` of the same repository plus the same `claude` argv in it, to
// its first stdout line. Interleaved, warm-up discarded, medians.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { buildClaudeArgv, userMessageLine } from '../../../src-main/core/agents/adapters/claude'
import { systemPromptFor } from '../../../src-main/core/tasks/prompts'
import { CLAUDE_BIN, claudeAvailable, claudeEnv } from '../../fixtures/claude-env'
import { git, TempDirs, write } from '../../fixtures/git/repos'
import { startModelServer, text } from '../../fixtures/model-server'
import { connect, startBenchDaemon, until } from '../lib/daemon'
import { PEER, peerSideBySide } from '../lib/peer'
import { QUICK, figure, interleave, measure, round, type Measure } from '../lib/stats'

const PLAN = 'Say OK'

/** A repository of `files` small files in one commit on main. */
export function repoOf(dirs: TempDirs, files: number): string {
  const repo = join(dirs.make('makima-bench-repo-'), 'repo')
  git(dirs.make(), 'init', '-q', '-b', 'main', repo)
  for (let i = 0; i < files; i++) write(repo, `src/d${i % 50}/f${i}.ts`, `export const v${i} = ${i}\n`)
  git(repo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'add', '-A')
  git(repo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'files')
  return repo
}

/** `git worktree add` + the same claude argv in it; ms to its first stdout line. */
async function raw(repo: string, wtRoot: string, n: number, env: Record<string, string>): Promise<number> {
  const t0 = performance.now()
  const path = join(wtRoot, `raw-${n}`)
  await new Promise<void>((res, rej) => {
    const g = spawn('git', ['worktree', 'add', '-q', '-b', `raw-${n}`, '--', path, 'HEAD'], { cwd: repo, stdio: 'ignore' })
    g.on('error', rej)
    g.on('exit', (c) => (c === 0 ? res() : rej(new Error(`git worktree add exited ${c}`))))
  })
  const argv = buildClaudeArgv({ command: CLAUDE_BIN, systemPrompt: systemPromptFor('subtask', { autonomousLoop: false }) })
  const child = spawn(argv.command, argv.args, { cwd: path, env, stdio: ['pipe', 'pipe', 'ignore'] })
  child.on('error', () => undefined)
  child.stdin.on('error', () => undefined)
  child.stdin.write(userMessageLine(PLAN))
  const lines = createInterface({ input: child.stdout })
  const ms = await new Promise<number>((res) => lines.once('line', () => res(performance.now() - t0)))
  child.stdin.end()
  await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)))
  return ms
}

export async function run(): Promise<Measure> {
  if (!claudeAvailable()) throw new Error('the Claude Code CLI is not installed (npm ci)')
  // MAKIMA_BENCH_P1_FILES: the repository's size (the goal is set at 2,000; 50,000 shows the growth).
  const files = Number(process.env.MAKIMA_BENCH_P1_FILES ?? 2000)
  if (!Number.isInteger(files) || files < 1) throw new Error('MAKIMA_BENCH_P1_FILES must be a positive integer')
  const runs = QUICK ? 3 : 7
  const dirs = new TempDirs()
  const model = await startModelServer({ respond: () => text('OK') })
  const claude = await claudeEnv({ baseUrl: model.url, apiKey: 'sk-bench' })
  const d = await startBenchDaemon({ env: { ...claude.env, MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: CLAUDE_BIN, MAKIMA_DAEMON_PROCESS_MAXCONCURRENTTASKS: '50' } })
  try {
    const repo = repoOf(dirs, files)
    const wtRoot = dirs.make('makima-bench-wt-')
    const client = await connect(d)
    const first = new Map<string, number>()
    client.on('taskOutput', (p) => {
      // The core's own lines (notices, the echoed prompt) are not the agent's.
      const { taskId, lines } = p as { taskId: string; lines: { kind: string }[] }
      if (!first.has(taskId) && lines.some((l) => l.kind !== 'notice' && l.kind !== 'user')) first.set(taskId, performance.now())
    })
    let n = 0
    const ours = async () => {
      const t0 = performance.now()
      const { value } = await client.request<{ taskId: string }>('createTask', { name: `p1 ${n}`, plan: PLAN, repoUrl: repo })
      const at = await until(() => first.get(value.taskId), `P1: the first agent line of task ${n}`, 120_000)
      return at - t0
    }
    const m = await interleave(runs, ours, () => raw(repo, wtRoot, n++, claude.env))
    client.close()
    const peer = await peerSideBySide(repo, claude.env, runs)
    return measure(
      'create a task on a 2,000-file repository → first agent line at a bridge client',
      { createToFirstLine: figure({ ours: m.ours, baseline: m.baseline, unit: 'ms', on: 'ratio', goal: { value: 1.25, kind: 'max', unit: '×' }, baselineIs: 'git worktree add + the same claude argv, to its first stdout line' }) },
      { files, runs, overRawMs: round(m.ours - m.baseline, 0), oursSamples: m.oursSamples, baselineSamples: m.baselineSamples, agent: 'real Claude Code CLI (devDependency) against the scripted model server',
        peer: { tool: `${PEER.name}@${PEER.version}`, measure: 'Enter on a worktree in its menu → Claude Code\'s first screen, vs claude started directly in a PTY (the peer starts sessions in existing worktrees; it has no headless create-and-run)', ...peer } },
    )
  } finally {
    await d.stop()
    await model.close()
    await claude.cleanup()
    dirs.cleanup()
  }
}
