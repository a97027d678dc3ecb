// Committing on the product's behalf (WIP, heartbeat, completion checkpoints). Hooks are skipped
// because a safety commit must not be blocked by a lint hook, and a repo without an identity
// still gets its work saved under a fallback author.
import { isDirty } from './inspect'
import { gitText, runGit } from './run'

export const FALLBACK_IDENTITY = { name: 'Makima', email: 'makima@localhost' }

/**
 * Author/committer variables for a repo with no configured identity, so a safety or merge commit
 * never fails for want of one. Empty when an identity is configured (config then wins).
 */
export async function fallbackIdentityEnv(cwd: string): Promise<Record<string, string>> {
  const get = async (k: string): Promise<string> =>
    (await runGit(['config', '--get', k], { operation: 'config', cwd, okExitCodes: [0, 1] })).stdout.trim()
  const env: Record<string, string> = {}
  if (!(await get('user.name'))) Object.assign(env, { GIT_AUTHOR_NAME: FALLBACK_IDENTITY.name, GIT_COMMITTER_NAME: FALLBACK_IDENTITY.name })
  if (!(await get('user.email'))) Object.assign(env, { GIT_AUTHOR_EMAIL: FALLBACK_IDENTITY.email, GIT_COMMITTER_EMAIL: FALLBACK_IDENTITY.email })
  return env
}

/** Stage everything and commit; returns the new sha, or null when there was nothing to commit. */
export async function commitAll(cwd: string, message: string, operation = 'commit'): Promise<string | null> {
  if (!(await isDirty(cwd))) return null
  await runGit(['add', '-A'], { operation, cwd })
  await runGit(['commit', '--no-verify', '-q', '-m', message], { operation, cwd, env: await fallbackIdentityEnv(cwd) })
  return gitText(['rev-parse', 'HEAD'], { operation, cwd })
}

/** Commit what is staged (a merge, a squash) with the same identity fallback. */
export async function commitStaged(cwd: string, message: string, operation = 'commit', extra: readonly string[] = []): Promise<string> {
  await runGit(['commit', '--no-verify', '-q', ...extra, '-m', message], { operation, cwd, env: await fallbackIdentityEnv(cwd) })
  return gitText(['rev-parse', 'HEAD'], { operation, cwd })
}

/** `2026-01-22 14:03:07 UTC`, the heartbeat message's time format. */
export function utcStamp(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}
