// Create a branch in a task's worktree and switch to it (`git checkout -b <name> [<from>]`).
// Uncommitted changes come along, as with git itself.
import { branchExists, resolveCommit } from './inspect'
import { assertRefName, assertRevision } from './refs'
import { gitText, runGit } from './run'

export type CreateBranchOutcome =
  | { kind: 'created'; branch: string; sha: string }
  | { kind: 'exists'; branch: string }
  | { kind: 'from-missing'; fromRef: string }

export async function createBranch(input: { worktree: string; name: string; fromRef?: string | null }): Promise<CreateBranchOutcome> {
  const cwd = input.worktree
  const name = assertRefName(input.name)
  if (await branchExists(cwd, name)) return { kind: 'exists', branch: name }
  let from: string | null = null
  if (input.fromRef) {
    from = await resolveCommit(cwd, assertRevision(input.fromRef))
    if (!from) return { kind: 'from-missing', fromRef: input.fromRef }
  }
  await runGit(['checkout', '--quiet', '-b', name, ...(from ? [from] : [])], { operation: 'create branch', cwd })
  return { kind: 'created', branch: name, sha: await gitText(['rev-parse', 'HEAD'], { operation: 'create branch', cwd }) }
}
