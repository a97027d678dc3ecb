// Finding an agent's binary. A GUI app started from a desktop launcher does not inherit the PATH of
// the user's shell (where npm -g, ~/.local/bin, nvm put `claude`, `codex`, `gemini`), so the login
// shell is asked once for its PATH. The shell runs a fixed script: no user value goes through it.
import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { delimiter, isAbsolute, join } from 'node:path'

const MARK = '__MAKIMA_PATH__'

/** The PATH a login shell sets up, or null (no shell, timeout, odd output). */
export function loginShellPath(o: { shell?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string | null> {
  const shell = o.shell ?? o.env?.SHELL ?? process.env.SHELL
  if (!shell || !isAbsolute(shell)) return Promise.resolve(null)
  return new Promise((resolve) => {
    let out = ''
    let settled = false
    const finish = (v: string | null) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(v)
    }
    // detached: its own group, so a profile that hangs (or leaves children holding the pipe) is
    // ended whole; the answer does not wait for the pipe to close.
    const child = spawn(shell, ['-l', '-c', `printf '${MARK}%s${MARK}' "$PATH"`], { env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'ignore'], detached: true })
    // Before any use of stdio: a failed spawn (EMFILE, ENOENT) only reports here.
    child.on('error', () => finish(null))
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      finish(null)
    }, o.timeoutMs ?? 3_000)
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const m = new RegExp(`${MARK}(.*)${MARK}`, 's').exec(out)
      if (m) finish(m[1] || null)
    })
    child.on('close', () => finish(null))
  })
}

/** Our PATH, then the login shell's entries we lack (ours wins on a tie). */
export function mergePaths(own: string | undefined, login: string | null): string {
  const seen = new Set<string>()
  const out: string[] = []
  for (const p of [...(own ?? '').split(delimiter), ...(login ?? '').split(delimiter)]) {
    if (p && !seen.has(p)) {
      seen.add(p)
      out.push(p)
    }
  }
  return out.join(delimiter)
}

export type BinaryLookup = { kind: 'found'; path: string } | { kind: 'missing'; command: string; searched: string }

/** A bare command name is looked up on `path`; a path (with a slash) is taken as it is. */
export async function findBinary(command: string, path: string): Promise<BinaryLookup> {
  if (command.includes('/')) return { kind: 'found', path: command }
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, command)
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return { kind: 'found', path: candidate }
  }
  return { kind: 'missing', command, searched: path }
}
