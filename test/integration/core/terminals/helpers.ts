// Test helpers for real terminals: a worktree in a temp repo, a host with a quiet bash, and a
// recorder of each terminal's output and exit (acknowledging as a renderer would, unless told not to).
import { mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { TerminalHost, type TerminalHostOptions } from '../../../../src-main/core/terminals/host'
import { git, makeRepo, type TempDirs } from '../../../fixtures/git/repos'

export async function waitFor<T>(cond: () => T | undefined | null | false | Promise<T | undefined | null | false>, { timeoutMs = 10_000, what = 'condition' } = {}): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await cond()
    if (v) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** A repo with a linked worktree on its own branch, like a task's. */
export function makeWorktree(dirs: TempDirs, name = 'task-wt'): { repo: string; worktree: string } {
  const repo = makeRepo(dirs)
  const worktree = join(dirs.make('makima-wt-'), name)
  git(repo, 'worktree', 'add', '-q', '-b', `makima/${name}`, worktree)
  return { repo, worktree: realpathSync(worktree) }
}

/** The shell's environment: a HOME without rc files, and secrets that must not leak. */
export function shellEnv(home: string): Record<string, string> {
  mkdirSync(home, { recursive: true })
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    MAKIMA_API_KEY: 'sk-makima-test-secret',
    MAKIMA_SERVER_URL: 'wss://example.invalid',
    CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat-test-token',
  }
}

export const stripAnsi = (s: string): string =>
  // eslint-disable-next-line no-control-regex
  s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]/g, '')

export class Recorder {
  readonly out = new Map<string, string>()
  readonly received = new Map<string, number>()
  readonly exits = new Map<string, number>()
  autoAck = true
  private readonly unsubscribe: () => void

  constructor(readonly host: TerminalHost) {
    this.unsubscribe = host.onEvent((e) => {
      if (e.type === 'data') {
        this.out.set(e.terminalId, (this.out.get(e.terminalId) ?? '') + e.data)
        this.received.set(e.terminalId, (this.received.get(e.terminalId) ?? 0) + e.data.length)
        if (this.autoAck) host.ack(e.terminalId, e.data.length)
      } else {
        this.exits.set(e.terminalId, e.exitCode)
      }
    })
  }

  text(id: string): string {
    return stripAnsi(this.out.get(id) ?? '')
  }

  lines(id: string): string[] {
    return this.text(id).split(/\r?\n/).map((l) => l.replace(/\r/g, ''))
  }

  /** Waits until some output line equals `line` exactly. */
  waitLine(id: string, line: string, timeoutMs = 10_000): Promise<true> {
    return waitFor(() => this.lines(id).some((l) => l === line), { timeoutMs, what: `line ${JSON.stringify(line)} in ${JSON.stringify(this.text(id).slice(-300))}` })
  }

  waitExit(id: string, timeoutMs = 10_000): Promise<number> {
    return waitFor(() => (this.exits.has(id) ? this.exits.get(id)! + 1 : 0), { timeoutMs, what: `exit of ${id}` }).then((n) => n - 1)
  }

  dispose(): void {
    this.unsubscribe()
  }
}

export function makeHost(opts: Partial<TerminalHostOptions> & { worktrees: Record<string, string | null>; home: string }): TerminalHost {
  const { worktrees, home, ...rest } = opts
  return new TerminalHost({
    tasks: { get: (id) => (id in worktrees ? { name: `task ${id}`, worktreePath: worktrees[id] ?? null } : undefined) },
    env: shellEnv(home),
    watchMs: 100,
    killGraceMs: 300,
    ...rest,
  })
}

/** Whether a process is alive (not a zombie). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/** Pids of the live descendants of `root`, with their command names. */
export function childrenOf(root: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = []
  const all: { pid: number; ppid: number; comm: string }[] = []
  for (const name of readdirSafe('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (f[0] !== 'Z') all.push({ pid: Number(name), ppid: Number(f[1]), comm })
    } catch {
      // exited meanwhile
    }
  }
  const queue = [root]
  while (queue.length) {
    const p = queue.shift()!
    for (const c of all.filter((e) => e.ppid === p)) {
      out.push({ pid: c.pid, comm: c.comm })
      queue.push(c.pid)
    }
  }
  return out
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
