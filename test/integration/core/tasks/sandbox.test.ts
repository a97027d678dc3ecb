// With the sandbox on, the manager runs each agent under bubblewrap: its worktree (and the repo's
// git data) writable, the rest of the filesystem read-only.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { bwrapAvailable } from '../../../fixtures/tools'
import { claudeAvailable } from '../../../fixtures/claude-env'
import { TempDirs, git, makeRepo } from '../../../fixtures/git/repos'
import { text, toolUse } from '../../../fixtures/model-server'
import { completeOf, makeHarness, waitFor, type Harness } from './harness'

const ID = '99999999-aaaa-4bbb-8ccc-000000000001'

describe.runIf(claudeAvailable() && bwrapAvailable())('sandboxed agents (bubblewrap, real Claude Code CLI)', () => {
  let h: Harness | undefined
  const dirs = new TempDirs()
  afterEach(async () => {
    await h?.close()
    h = undefined
    dirs.cleanup()
  })

  it('writes inside the worktree (and commits) succeed; a write outside fails', async () => {
    const outside = join(dirs.make(), 'outside.txt')
    h = await makeHarness({
      sandbox: true,
      scenario: {
        turns: [
          toolUse('Bash', { command: `echo inside > inside.txt && git add inside.txt && git -c user.name=A -c user.email=a@b commit -qm agent-commit; echo outside > ${outside}; echo rc=$?` }),
          text('DONE'),
        ],
      },
    })
    const repo = makeRepo(dirs)
    await h.manager.spawn({ taskId: ID, taskName: 'boxed', plan: 'p', repoUrl: repo })
    expect(await waitFor(() => completeOf(h!.events, ID), { timeoutMs: 60_000 })).toMatchObject({ success: true })
    const wt = h.tasks.get(ID)!.worktreePath!
    expect(readFileSync(join(wt, 'inside.txt'), 'utf8')).toBe('inside\n')
    expect(git(wt, 'log', '-1', '--format=%s')).toBe('agent-commit')
    expect(existsSync(outside)).toBe(false)
    expect(h.lines(ID).some((l) => l.kind === 'user' && /Read-only file system/.test(l.data))).toBe(true)
  })
})
