// Which shell a terminal runs and with what environment. The daemon's own secrets (MAKIMA_*, the
// stored Claude OAuth token) stay out: the terminal is the user's, not an agent's.
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { isAbsolute } from 'node:path'

const SECRET_NAMES = new Set(['CLAUDE_CODE_OAUTH_TOKEN'])

export function isHiddenVar(name: string): boolean {
  return name.startsWith('MAKIMA_') || SECRET_NAMES.has(name)
}

/** The environment of a terminal's shell, built from the daemon's. */
export function terminalEnv(base: Record<string, string | undefined>, cwd: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !isHiddenVar(k)) env[k] = v
  env.TERM = 'xterm-256color'
  env.COLORTERM = 'truecolor'
  env.TERM_PROGRAM = 'makima'
  env.PWD = cwd
  return env
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** $SHELL when it is an absolute executable path, else /bin/bash, else /bin/sh. */
export async function pickShell(base: Record<string, string | undefined>): Promise<string> {
  const candidates = [base.SHELL, '/bin/bash', '/bin/sh'].filter((p): p is string => Boolean(p && isAbsolute(p)))
  for (const c of candidates) if (await executable(c)) return c
  throw new Error('No shell found: $SHELL, /bin/bash and /bin/sh are all missing or not executable')
}
