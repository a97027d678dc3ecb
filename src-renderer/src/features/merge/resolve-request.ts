// "Ask the agent to resolve": the follow-up that hands a stopped merge or rebase to the task's agent.
import type { MergeStatus } from '../../../../src-preload/contract'

export function resolveRequest(status: MergeStatus): string {
  const rebase = status.operation === 'rebase'
  const files = status.conflictedFiles.map((f) => `- ${f}`).join('\n')
  const what = rebase ? `Rebasing this branch onto ${status.sourceBranch ?? 'its base'}` : `Merging ${status.sourceBranch ?? 'the base branch'} into this branch`
  const finish = rebase
    ? 'then run `git -c core.editor=true rebase --continue` (repeat for any commit that conflicts next). Do not abort the rebase.'
    : 'then finish the merge with `git commit --no-edit`. Do not abort the merge.'
  return `${what} stopped on conflicts in these files:\n${files}\n\nResolve every conflict: keep what both sides meant and remove every conflict marker (<<<<<<<, =======, >>>>>>>). Stage each file with \`git add\`, ${finish}`
}
