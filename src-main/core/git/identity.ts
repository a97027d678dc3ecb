// Inherited git identity: read `user.name` / `user.email` where the user works, apply them to
// each new worktree. Values go after `--` so a name starting with '-' is still a value.
import { runGit } from './run'

export interface GitIdentity {
  name: string | null
  email: string | null
}

export async function readGitIdentity(dir: string): Promise<GitIdentity> {
  const get = async (key: string): Promise<string | null> => {
    const r = await runGit(['config', '--get', key], { operation: 'config', cwd: dir, okExitCodes: [0, 1] })
    return r.stdout.trim() || null
  }
  return { name: await get('user.name'), email: await get('user.email') }
}

/** Writes the repository's local config (shared by all its worktrees, as the original did). */
export async function applyGitIdentity(worktree: string, identity: GitIdentity): Promise<void> {
  if (identity.name) await runGit(['config', '--', 'user.name', identity.name], { operation: 'config', cwd: worktree })
  if (identity.email) await runGit(['config', '--', 'user.email', identity.email], { operation: 'config', cwd: worktree })
}
