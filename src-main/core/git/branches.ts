// The task branches of a repository, seen from one worktree: which task each belongs to,
// whether it is already merged into this worktree's HEAD, and its last commit.
import { currentBranch } from './inspect'
import { shortId as toShortId, taskIdFromBranch } from './refs'
import { runGit } from './run'

export interface TaskBranch {
  name: string
  /** Full task id when known (a uuid in the name, or exactly one known id matches the short id). */
  taskId: string | null
  shortId: string | null
  isMerged: boolean
  lastCommit: string
  lastCommitMessage: string
}

export interface ListTaskBranchesInput {
  worktree: string
  /** Ids the caller knows about, to turn a branch's short id into a full id. */
  knownTaskIds?: readonly string[]
  /** When given, only branches of these tasks are listed (an orchestrator's subtasks). */
  onlyTaskIds?: readonly string[]
  /** Branch namespace (default `makima/`). */
  prefix?: string
}

export async function listTaskBranches(input: ListTaskBranchesInput): Promise<TaskBranch[]> {
  const cwd = input.worktree
  const prefix = input.prefix ?? 'makima/'
  const fmt = '%(refname:short)%00%(objectname)%00%(subject)'
  const out = (await runGit(['for-each-ref', `--format=${fmt}`, '--', `refs/heads/${prefix}`], { operation: 'list branches', cwd })).stdout
  const merged = new Set(
    (await runGit(['for-each-ref', '--merged=HEAD', '--format=%(refname:short)', '--', `refs/heads/${prefix}`], { operation: 'list branches', cwd })).stdout
      .split('\n')
      .filter(Boolean),
  )
  const here = await currentBranch(cwd)
  const known = [...(input.knownTaskIds ?? []), ...(input.onlyTaskIds ?? [])]
  const only = input.onlyTaskIds?.map((id) => toShortId(id))
  const branches: TaskBranch[] = []
  for (const line of out.split('\n')) {
    if (!line) continue
    const [name, sha, subject] = line.split('\0')
    if (name === here) continue
    const id = taskIdFromBranch(name, known)
    if (only && !(id && only.includes(id.shortId))) continue
    branches.push({
      name,
      taskId: id?.taskId ?? null,
      shortId: id?.shortId ?? null,
      isMerged: merged.has(name),
      lastCommit: sha,
      lastCommitMessage: subject ?? '',
    })
  }
  return branches
}

/** Every local branch, by short name. */
export async function listLocalBranches(worktree: string): Promise<string[]> {
  const out = (await runGit(['for-each-ref', '--format=%(refname:short)', '--', 'refs/heads/'], { operation: 'list branches', cwd: worktree })).stdout
  return out.split('\n').filter(Boolean)
}
