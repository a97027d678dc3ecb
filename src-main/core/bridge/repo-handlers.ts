// Repositories in the New task dialog: a source is checked before any task exists (a typo must not
// leave a failed task behind), and the repositories tasks were started from are remembered.
import type { RepoCheck } from '../../../src-preload/contract'
import { isNewRepoRequest, isRemoteUrl } from '../git'
import { checkLocalRepo } from '../git/check-local-repo'
import { checkAllowedRoot, localPathOf } from '../tasks/allowed-roots'
import { BridgeError, type PartialHandlers } from './dispatch'

/** The settings key of the recent repositories, newest first. */
export const RECENT_REPOS_KEY = 'ui.recent_repos'
export const MAX_RECENT_REPOS = 12

export interface RecentStore {
  get<T>(key: string): T | undefined
  set(key: string, value: unknown): void
}

export interface RepoHandlerDeps {
  allowedRoots: readonly string[]
  settings: RecentStore
  /** The check itself (tests count it). */
  check?: (source: string, allowedRoots: readonly string[]) => Promise<RepoCheck>
  now?: () => number
}

/** How long a repository found good stays good without asking git again. */
export const REPO_CHECK_TTL_MS = 10_000
const MAX_CACHED_CHECKS = 64

/**
 * Good answers are kept for a few seconds, so a burst of tasks on one repository (a supervisor's
 * subtasks, a script creating a hundred) costs two git spawns, not two per task, while the core is
 * busiest. A bad answer is never kept: fixed with `git init`, the path works at once. A repository
 * removed within the window fails at its worktree step instead, with that step's own error.
 */
function cachedCheck(check: NonNullable<RepoHandlerDeps['check']>, now: () => number): NonNullable<RepoHandlerDeps['check']> {
  const good = new Map<string, { at: number; result: RepoCheck }>()
  return async (source, roots) => {
    const key = source.trim()
    const hit = good.get(key)
    if (hit && now() - hit.at < REPO_CHECK_TTL_MS) return hit.result
    const result = await check(source, roots)
    good.delete(key)
    if (result.kind === 'ok') {
      if (good.size >= MAX_CACHED_CHECKS) good.delete(good.keys().next().value!)
      good.set(key, { at: now(), result })
    }
    return result
  }
}

/** A URL or new:// is not checked here (the clone or init reports its own failure). */
export async function checkRepository(source: string, allowedRoots: readonly string[]): Promise<RepoCheck> {
  const s = source.trim()
  if (isNewRepoRequest(s) || isRemoteUrl(s) || localPathOf(s) === null) return { kind: 'ok', path: null }
  if (s.startsWith('-')) return { kind: 'invalid', message: 'A repository path may not start with "-"' }
  // The roots first: nothing outside them is even looked at.
  const outside = await checkAllowedRoot('repository', s, allowedRoots)
  if (outside) return { kind: 'invalid', message: outside }
  const local = await checkLocalRepo(localPathOf(s)!)
  return local.kind === 'ok' ? { kind: 'ok', path: local.path } : { kind: 'invalid', message: local.message }
}

export function recentRepos(settings: RecentStore): string[] {
  const v = settings.get<unknown>(RECENT_REPOS_KEY)
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT_REPOS) : []
}

export function rememberRepo(settings: RecentStore, source: string): void {
  const list = [source, ...recentRepos(settings).filter((r) => r !== source)].slice(0, MAX_RECENT_REPOS)
  settings.set(RECENT_REPOS_KEY, list)
}

/**
 * The repository requests, and createTask / createContract wrapped so that a bad source is refused
 * as `invalid-params` before the task exists, and a good one joins the recent list once created.
 */
export function createRepoHandlers(deps: RepoHandlerDeps, inner: PartialHandlers): PartialHandlers {
  const check = cachedCheck(deps.check ?? checkRepository, deps.now ?? Date.now)
  const guard = async (source: string | undefined): Promise<string | undefined> => {
    if (!source) return undefined
    const r = await check(source, deps.allowedRoots)
    if (r.kind === 'invalid') throw new BridgeError('invalid-params', r.message)
    return r.path ?? source.trim()
  }
  const out: PartialHandlers = {
    checkRepository: ({ repoUrl }) => checkRepository(repoUrl, deps.allowedRoots),
    listRecentRepos: () => recentRepos(deps.settings),
  }
  /** Checked first; a local source is passed on as its repository's top level (one name per repository). */
  const guarded = <P extends { repoUrl?: string }, R>(create: (p: P) => R) => async (p: P): Promise<Awaited<R>> => {
    const remembered = await guard(p.repoUrl)
    const r = await create(remembered ? { ...p, repoUrl: remembered } : p)
    if (remembered) rememberRepo(deps.settings, remembered)
    return r
  }
  if (inner.createTask) out.createTask = guarded(inner.createTask)
  if (inner.createContract) out.createContract = guarded(inner.createContract)
  return out
}
