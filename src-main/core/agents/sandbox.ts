// Optional bubblewrap sandbox for agents (the original's --bubblewrap / MAKIMA_DAEMON_BUBBLEWRAP):
// the whole filesystem read-only, except the task's worktree, its own temp dir and the agent's
// config paths; its own PID namespace; the network kept (the agent needs its API). No new session,
// so the sandbox stays in the agent's process group and pause/interrupt still reach everything.
import { constants } from 'node:fs'
import { access, mkdir, open, stat } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { Argv } from './adapters/claude'

export const DEFAULT_BWRAP = '/usr/bin/bwrap'

export class SandboxUnavailableError extends Error {
  constructor(readonly bwrapPath: string) {
    super(
      `The agent sandbox is on (--bubblewrap / MAKIMA_DAEMON_BUBBLEWRAP) but bubblewrap was not found at ${bwrapPath}. ` +
        'Install it (Debian/Ubuntu: apt install bubblewrap; Fedora: dnf install bubblewrap) or turn the sandbox off.',
    )
    this.name = 'SandboxUnavailableError'
  }
}

/** Resolves the bwrap binary or throws SandboxUnavailableError (call it at start-up). */
export async function findBwrap(path = DEFAULT_BWRAP): Promise<string> {
  try {
    await access(path, constants.X_OK)
    return path
  } catch {
    throw new SandboxUnavailableError(path)
  }
}

export interface SandboxPaths {
  /** The task's worktree (or temp working dir): writable, and the agent's cwd. */
  worktree: string
  /** The task's own temp dir: writable, and TMPDIR inside. */
  tmpDir: string
  /** Further writable paths: the agent's config (see claudeConfigPaths). Directories or files. */
  writable?: readonly string[]
  /**
   * Directories replaced by an empty tmpfs: the core's data directory, whose database, logs and
   * tokens (the web UI's among them) are no business of an agent. Binds listed elsewhere are
   * mounted afterwards, so a worktree or git directory inside a hidden one stays reachable.
   */
  hidden?: readonly string[]
  /** Existing paths mounted read-only again after hiding (the `makima` CLI's directory). */
  readonly?: readonly string[]
}

/**
 * Claude Code writes its sessions and settings under $CLAUDE_CONFIG_DIR, or else ~/.claude and
 * the file ~/.claude.json.
 */
export function claudeConfigPaths(env: Record<string, string | undefined>): string[] {
  if (env.CLAUDE_CONFIG_DIR) return [env.CLAUDE_CONFIG_DIR]
  const home = env.HOME
  return home ? [join(home, '.claude'), join(home, '.claude.json')] : []
}

/**
 * Creates what must exist before bwrap can bind it: the temp dir, config dirs, and a config
 * file (an empty JSON object) that Claude Code would otherwise create in a read-only home.
 */
export async function prepareSandbox(paths: SandboxPaths): Promise<void> {
  await mkdir(paths.tmpDir, { recursive: true })
  for (const p of paths.writable ?? []) {
    const exists = await stat(p).then(() => true, () => false)
    if (exists) continue
    if (p.endsWith('.json')) {
      await mkdir(dirname(p), { recursive: true })
      const fh = await open(p, 'wx').catch(() => undefined)
      await fh?.writeFile('{}')
      await fh?.close()
    } else {
      await mkdir(p, { recursive: true })
    }
  }
}

/** Wraps an agent argv: `bwrap <mounts> --unshare-pid --die-with-parent --chdir <wt> -- <cmd> <args>`. */
export function wrapWithBwrap(argv: Argv, paths: SandboxPaths, bwrapPath = DEFAULT_BWRAP): Argv {
  for (const p of [paths.worktree, paths.tmpDir, ...(paths.writable ?? []), ...(paths.hidden ?? []), ...(paths.readonly ?? [])]) {
    if (!isAbsolute(p)) throw new Error(`sandbox path must be absolute: ${p}`)
  }
  const binds = [paths.worktree, paths.tmpDir, ...(paths.writable ?? [])].map((p) => resolve(p))
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc']
  for (const p of paths.hidden ?? []) args.push('--tmpfs', resolve(p))
  for (const p of paths.readonly ?? []) args.push('--ro-bind', resolve(p), resolve(p))
  for (const p of binds) args.push('--bind', p, p)
  args.push('--setenv', 'TMPDIR', resolve(paths.tmpDir))
  args.push('--unshare-pid', '--die-with-parent', '--chdir', resolve(paths.worktree), '--', argv.command, ...argv.args)
  return { command: bwrapPath, args }
}
