// The follow-up that asks the agent to resolve a stopped merge or rebase names every file and how to finish.
import { describe, expect, it } from 'vitest'
import { resolveRequest } from '../../../../../src-renderer/src/features/merge/resolve-request'

describe('resolveRequest', () => {
  it('lists the conflicted files and says to commit the merge', () => {
    const m = resolveRequest({ inProgress: true, sourceBranch: 'main', conflictedFiles: ['a.txt', 'src/b.ts'], operation: 'merge' })
    expect(m).toContain('Merging main into this branch stopped on conflicts')
    expect(m).toContain('- a.txt\n- src/b.ts')
    expect(m).toContain('git commit --no-edit')
  })

  it('for a rebase, says to continue it', () => {
    const m = resolveRequest({ inProgress: true, sourceBranch: 'main', conflictedFiles: ['a.txt'], operation: 'rebase' })
    expect(m).toContain('Rebasing this branch onto main')
    expect(m).toContain('rebase --continue')
  })
})
