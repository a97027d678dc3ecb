// Which sources worktree.allowed_roots confines (local paths, file:// URLs) and which it leaves
// alone (remote URLs, scp-style, new://), against real directories and symlinks.
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkAllowedRoot, checkRequestRoots, localPathOf } from '../../../../src-main/core/tasks/allowed-roots'

describe('allowed roots', () => {
  const base = mkdtempSync(join(tmpdir(), 'makima-roots-unit-'))
  const root = join(base, 'root')
  mkdirSync(join(root, 'a', 'deep'), { recursive: true })
  mkdirSync(join(base, 'rootless'))
  symlinkSync(root, join(base, 'root-link'))

  it('knows which sources name a local path', () => {
    expect(localPathOf('https://github.com/a/b.git')).toBeNull()
    expect(localPathOf('git@github.com:a/b.git')).toBeNull()
    expect(localPathOf('ssh://host/srv/repo')).toBeNull()
    expect(localPathOf('new://thing')).toBeNull()
    expect(localPathOf('file:///srv/repo')).toBe('/srv/repo')
    expect(localPathOf(' /srv/repo ')).toBe('/srv/repo')
  })

  it('accepts paths inside a root (the root itself, deeper, or through a linked root) and no roots at all', async () => {
    expect(await checkAllowedRoot('repository', '/etc', [])).toBeNull()
    for (const p of [root, join(root, 'a', 'deep'), join(base, 'root-link', 'a')]) expect(await checkAllowedRoot('repository', p, [root])).toBeNull()
    expect(await checkAllowedRoot('repository', join(root, 'a'), [join(base, 'root-link')])).toBeNull()
    expect(await checkAllowedRoot('repository', 'https://example.com/x.git', [root])).toBeNull()
  })

  it('refuses a sibling whose name merely starts with the root, and a missing root matches nothing', async () => {
    mkdirSync(`${root}-evil`, { recursive: true })
    expect(await checkAllowedRoot('repository', `${root}-evil`, [root])).toMatch(/is outside worktree.allowed_roots/)
    expect(await checkAllowedRoot('repository', join(base, 'rootless'), [join(base, 'gone')])).toMatch(/is outside/)
  })

  it('checks the delivery target too', async () => {
    expect(await checkRequestRoots({ repoUrl: join(root, 'a'), targetRepoPath: join(base, 'rootless') }, [root])).toMatch(/^The target repository .* is outside/)
  })
})
