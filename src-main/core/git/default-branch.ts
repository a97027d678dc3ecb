// The default branch of a repository: origin/HEAD, then main, then master, then the current branch.
import { branchExists, currentBranch, resolveCommit } from './inspect'
import { runGit } from './run'

export async function detectDefaultBranch(repo: string): Promise<string | null> {
  const r = await runGit(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { operation: 'symbolic-ref', cwd: repo, okExitCodes: [0, 1, 128] })
  const remoteHead = r.stdout.trim()
  if (r.exitCode === 0 && remoteHead.startsWith('origin/')) return remoteHead.slice('origin/'.length)
  for (const name of ['main', 'master']) {
    if ((await branchExists(repo, name)) || (await resolveCommit(repo, `refs/remotes/origin/${name}`))) return name
  }
  return currentBranch(repo)
}
