// `new://` and `new://<name>`: a brand-new repository as the task's working directory, with an
// initial commit on `main` (so checkpoints and diffs have a base) and the task branch checked out.
import { lstat, mkdir } from 'node:fs/promises'
import { commitStaged } from './commit'
import { worktreeNames } from './refs'
import { gitText, runGit } from './run'
import type { WorktreeInfo } from './worktree-add'

export function isNewRepoRequest(source: string): boolean {
  return source === 'new://' || source.startsWith('new://')
}

/** The name in `new://<name>`, or null for a bare `new://`. */
export function newRepoName(source: string): string | null {
  const rest = source.slice('new://'.length).trim()
  return rest.length > 0 ? rest : null
}

export interface InitNewRepoInput {
  source: string
  worktreesDir: string
  taskId: string
  taskName: string
}

export type InitNewRepoOutcome = { kind: 'created'; worktree: WorktreeInfo } | { kind: 'target-exists'; path: string }

export async function initNewRepo(input: InitNewRepoInput): Promise<InitNewRepoOutcome> {
  const names = worktreeNames(input.worktreesDir, input.taskId, newRepoName(input.source) ?? input.taskName)
  try {
    await lstat(names.dir)
    return { kind: 'target-exists', path: names.dir }
  } catch {
    /* free: go on */
  }
  await mkdir(names.dir, { recursive: true })
  const cwd = names.dir
  await runGit(['init', '--quiet', '--initial-branch=main'], { operation: 'init', cwd })
  await commitStaged(cwd, 'Initial commit', 'init', ['--allow-empty'])
  const baseSha = await gitText(['rev-parse', 'HEAD'], { operation: 'rev-parse', cwd })
  await runGit(['checkout', '--quiet', '-b', names.branch], { operation: 'init', cwd })
  return { kind: 'created', worktree: { path: cwd, branch: names.branch, repoPath: cwd, baseSha, reusedBranch: false } }
}
