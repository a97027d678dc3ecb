// A new worktree made ready the way the repository asks, before the agent starts:
// 1. gitignored files the worktree needs (secrets, local config) copied from the main checkout —
//    the paths listed in `.worktreeinclude` (one per line, `#` comments), or `.env` and
//    `.env.local` when the repository has no such file;
// 2. the repository's setup script `.makima/setup.sh`, run with `sh` in the new worktree, its
//    output shown as task lines; a failure stops the task with the script's exit status.
import { spawn } from 'node:child_process'
import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { killChild } from '../agents/kill-child'

export const INCLUDE_FILE = '.worktreeinclude'
export const DEFAULT_INCLUDES = ['.env', '.env.local']
export const SETUP_SCRIPT = join('.makima', 'setup.sh')
const SETUP_TIMEOUT_MS = 10 * 60_000
/** Output kept for the failure message; the rest is shown as it arrives. */
const TAIL_LINES = 5

export type SetupOutcome = { ok: true } | { ok: false; message: string }

export interface SetupDeps {
  copyFiles(fromRoot: string, toRoot: string, files: readonly string[]): Promise<{ path: string; ok: boolean; error?: string }[]>
  notice(text: string): void
  /** Environment for the setup script (the agent's, without its keys). */
  env?: Record<string, string | undefined>
}

const exists = (p: string) => access(p).then(() => true, () => false)

/** The paths to copy: `.worktreeinclude` (comments and blanks dropped) or the defaults. */
export async function includedPaths(repo: string): Promise<string[]> {
  const text = await readFile(join(repo, INCLUDE_FILE), 'utf8').catch(() => null)
  if (text === null) return DEFAULT_INCLUDES
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
}

export async function prepareWorktree(repo: string, worktree: string, deps: SetupDeps): Promise<SetupOutcome> {
  const wanted = []
  for (const p of await includedPaths(repo)) if (await exists(join(repo, p))) wanted.push(p)
  if (wanted.length) {
    for (const r of await deps.copyFiles(repo, worktree, wanted)) {
      deps.notice(r.ok ? `Copied ${r.path} into the worktree` : `Warning: could not copy ${r.path}: ${r.error ?? 'failed'}`)
    }
  }
  if (!(await exists(join(worktree, SETUP_SCRIPT)))) return { ok: true }
  deps.notice(`Running ${SETUP_SCRIPT}...`)
  return runSetupScript(worktree, deps)
}

function runSetupScript(worktree: string, deps: SetupDeps): Promise<SetupOutcome> {
  return new Promise((resolve) => {
    const child = spawn('sh', [SETUP_SCRIPT], { cwd: worktree, env: { ...(deps.env ?? process.env), MAKIMA_WORKTREE: worktree }, stdio: ['ignore', 'pipe', 'pipe'] })
    const tail: string[] = []
    let settled = false
    const done = (o: SetupOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(o)
    }
    child.on('error', (e) => done({ ok: false, message: `${SETUP_SCRIPT} could not run: ${e.message}` }))
    const timer = setTimeout(() => {
      killChild(child, 'SIGKILL')
      done({ ok: false, message: `${SETUP_SCRIPT} did not finish within ${SETUP_TIMEOUT_MS / 60_000} minutes` })
    }, SETUP_TIMEOUT_MS)
    for (const stream of [child.stdout, child.stderr]) {
      let partial = ''
      stream?.on('data', (d: Buffer) => {
        const parts = (partial + d.toString('utf8')).split('\n')
        partial = parts.pop() ?? ''
        for (const line of parts) show(line)
      })
      stream?.on('end', () => partial && show(partial))
    }
    function show(line: string) {
      deps.notice(`[setup] ${line}`)
      tail.push(line)
      if (tail.length > TAIL_LINES) tail.shift()
    }
    child.on('close', (code, signal) => {
      if (code === 0) {
        deps.notice(`${SETUP_SCRIPT} finished`)
        done({ ok: true })
      } else done({ ok: false, message: `${SETUP_SCRIPT} failed (${signal ?? `exit ${code}`})${tail.length ? `: ${tail.join(' | ')}` : ''}` })
    })
  })
}
