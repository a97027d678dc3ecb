// Repositories are checked before a task exists, against real folders and git repositories: a typo,
// a file, a plain folder, a repository without commits and one outside worktree.allowed_roots are
// each refused with a message that says what is wrong, and createTask never runs for them. Good
// sources join the recent list (newest first, no repeats, bounded), kept in the SQLite store.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatcher, type Dispatch } from '../../../../src-main/core/bridge/dispatch'
import { checkRepository, createRepoHandlers, MAX_RECENT_REPOS, REPO_CHECK_TTL_MS } from '../../../../src-main/core/bridge/repo-handlers'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { SettingsRepository } from '../../../../src-main/core/store/settings-repository'
import { git, makeRepo, TempDirs } from '../../../fixtures/git/repos'

const me = { trusted: true, label: 'test' }
const dirs = new TempDirs()
let root: string
let store: Store
let created: string[]

function dispatcher(allowedRoots: string[] = []): Dispatch {
  const inner = {
    createTask: (p: { repoUrl?: string }) => {
      created.push(p.repoUrl ?? '')
      return { taskId: `t-${created.length}`, queued: false }
    },
  }
  return createDispatcher(createRepoHandlers({ allowedRoots, settings: new SettingsRepository(store.db) }, inner), silentLogger())
}
const task = (repoUrl: string) => ({ name: 'n', plan: 'p', repoUrl })

beforeEach(async () => {
  root = dirs.make('makima-bridge-repo-')
  store = await openStore({ path: join(root, 'db.sqlite') })
  created = []
})
afterEach(() => {
  store.close()
  dirs.cleanup()
})

describe('repositories before a task is created', () => {
  it('refuses a typo, a file, a plain folder and a repository without commits, and creates nothing', async () => {
    const d = dispatcher()
    const file = join(root, 'notes.txt')
    writeFileSync(file, 'x')
    const plain = join(root, 'plain')
    mkdirSync(plain)
    const empty = join(root, 'empty')
    mkdirSync(empty)
    git(empty, 'init', '-q')
    const cases: [string, string][] = [
      [join(root, 'no-such-repo'), 'does not exist'],
      [file, 'is a file, not a folder'],
      [plain, 'is not a git repository'],
      [empty, 'has no commits yet'],
    ]
    for (const [path, why] of cases) {
      const check = await d('checkRepository', { repoUrl: path }, me)
      expect(check).toMatchObject({ ok: true, value: { kind: 'invalid' } })
      expect((check as { value: { message: string } }).value.message).toContain(why)
      const r = await d('createTask', task(path), me)
      expect(r).toMatchObject({ ok: false, code: 'invalid-params' })
      expect((r as { message: string }).message).toContain(why)
    }
    expect(created).toEqual([])
    expect(await d('listRecentRepos', undefined, me)).toEqual({ ok: true, value: [] })
  })

  it('accepts a folder inside a repository as that repository, and URLs and new:// unchecked', async () => {
    const repo = makeRepo(dirs, { files: { 'src/a.ts': 'a' } })
    const d = dispatcher()
    expect(await d('checkRepository', { repoUrl: join(repo, 'src') }, me)).toEqual({ ok: true, value: { kind: 'ok', path: repo } })
    expect(await d('checkRepository', { repoUrl: 'https://example.com/a/b.git' }, me)).toEqual({ ok: true, value: { kind: 'ok', path: null } })
    expect(await d('checkRepository', { repoUrl: 'new://scratch' }, me)).toEqual({ ok: true, value: { kind: 'ok', path: null } })
  })

  it('refuses a repository outside worktree.allowed_roots', async () => {
    const inside = dirs.make('makima-allowed-')
    const repo = makeRepo(dirs)
    const d = dispatcher([inside])
    const r = await d('createTask', task(repo), me)
    expect(r).toMatchObject({ ok: false, code: 'invalid-params' })
    expect((r as { message: string }).message).toContain('outside worktree.allowed_roots')
    expect(created).toEqual([])
  })

  it('remembers the repositories tasks were created from: newest first, no repeats, bounded, persisted', async () => {
    const a = makeRepo(dirs)
    const b = makeRepo(dirs)
    const d = dispatcher()
    for (const src of [a, b, join(a, 'sub', '..'), 'https://example.com/x.git']) expect(await d('createTask', task(src), me)).toMatchObject({ ok: true })
    expect(await d('listRecentRepos', undefined, me)).toEqual({ ok: true, value: ['https://example.com/x.git', a, b] })
    expect(created).toEqual([a, b, a, 'https://example.com/x.git'])

    const path = store.path
    store.close()
    store = await openStore({ path })
    expect(await dispatcher()('listRecentRepos', undefined, me)).toEqual({ ok: true, value: ['https://example.com/x.git', a, b] })

    const d2 = dispatcher()
    for (let i = 0; i < MAX_RECENT_REPOS + 3; i++) await d2('createTask', task(`https://example.com/r${i}.git`), me)
    const list = await d2('listRecentRepos', undefined, me)
    expect((list as { value: string[] }).value).toHaveLength(MAX_RECENT_REPOS)
    expect((list as { value: string[] }).value[0]).toBe(`https://example.com/r${MAX_RECENT_REPOS + 2}.git`)
  })

  it('a burst of tasks on one good repository checks it once per window; a bad answer is never kept', async () => {
    const repo = makeRepo(dirs)
    const plain = join(root, 'plain')
    mkdirSync(plain)
    let checks = 0
    let clock = 0
    const handlers = createRepoHandlers(
      { allowedRoots: [], settings: new SettingsRepository(store.db), now: () => clock, check: (s, r) => (checks++, checkRepository(s, r)) },
      { createTask: (p: { repoUrl?: string }) => (created.push(p.repoUrl ?? ''), { taskId: 't', queued: false }) },
    )
    const d = createDispatcher(handlers, silentLogger())
    for (let i = 0; i < 5; i++) expect((await d('createTask', task(repo), me)).ok).toBe(true)
    expect(checks).toBe(1)
    clock += REPO_CHECK_TTL_MS
    expect((await d('createTask', task(repo), me)).ok).toBe(true)
    expect(checks).toBe(2) // the window ended: asked again
    // A plain folder is refused each time, and works as soon as it becomes a repository.
    expect((await d('createTask', task(plain), me)).ok).toBe(false)
    git(plain, 'init', '-q')
    git(plain, 'commit', '-q', '--allow-empty', '-m', 'first')
    expect((await d('createTask', task(plain), me)).ok).toBe(true)
    expect(created).toHaveLength(7)
  })
})
