// Task output in chunks, on a real SQLite file: seq semantics across chunks, the per-task cap
// (oldest middle dropped behind a marker, start and newest kept), deleting frees the file, the
// upgrade from the old one-row-per-line table, and the bytes on disk per byte of output.
import Database from 'better-sqlite3'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../../../src-main/core/store/db'
import { MIGRATIONS } from '../../../../src-main/core/store/migrations'
import { OutputRepository, type NewOutputLine } from '../../../../src-main/core/store/output-repository'

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function dbPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'makima-output-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return join(dir, 'daemon.db')
}

async function store(path?: string): Promise<Store> {
  const s = await openStore({ path: path ?? (await dbPath()) })
  cleanups.push(() => s.close())
  return s
}

const lines = (from: number, n: number, bytes = 100): NewOutputLine[] =>
  Array.from({ length: n }, (_, i) => ({ kind: i % 7 === 0 ? 'notice' : 'assistant', data: `${from + i}:`.padEnd(bytes, 'é') }))

function fileBytes(s: Store): number {
  s.db.pragma('wal_checkpoint(TRUNCATE)')
  return (s.db.pragma('page_count', { simple: true }) as number) * (s.db.pragma('page_size', { simple: true }) as number)
}

describe('OutputRepository', () => {
  it('numbers lines per task across chunks; page, tail and count as the bridge expects', async () => {
    const s = await store()
    const repo = new OutputRepository(s.db, { chunkBytes: 1000 })
    const a = repo.append('a', lines(1, 50))
    repo.append('b', lines(1, 3))
    repo.append('a', lines(51, 50))
    expect(a.map((l) => l.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(repo.count('a')).toBe(100)
    expect(repo.count('b')).toBe(3)
    expect(repo.count('none')).toBe(0)
    expect(repo.page('a', 0, 1000).map((l) => l.data)).toEqual([...lines(1, 50), ...lines(51, 50)].map((l) => l.data))
    expect(repo.page('a', 37, 5).map((l) => l.seq)).toEqual([38, 39, 40, 41, 42])
    expect(repo.tail('a', 4).map((l) => l.seq)).toEqual([97, 98, 99, 100])
    expect(repo.tail('a', 4)[0]).toMatchObject({ kind: 'assistant', data: lines(97, 1)[0]!.data })
    expect(repo.page('a', 100)).toEqual([])
  })

  it('past the cap drops the oldest middle behind one marker, keeping the start and the newest lines', async () => {
    const s = await store()
    const repo = new OutputRepository(s.db, { chunkBytes: 4096, maxBytesPerTask: 64 * 1024 })
    for (let i = 0; i < 100; i++) repo.append('t', lines(i * 40 + 1, 40))
    const st = repo.stats('t')
    expect(st.lastSeq).toBe(4000)
    expect(st.bytes).toBeLessThanOrEqual(64 * 1024)
    expect(st.droppedLines).toBeGreaterThan(3000)
    const all = repo.page('t', 0, 10_000)
    const marker = all.find((l) => l.kind === 'notice' && l.data.includes('dropped'))!
    expect(marker.data).toContain(`${st.droppedLines} older lines`)
    // the start: seq 1 onwards up to the marker; the marker at the first dropped seq; then the newest
    const at = all.indexOf(marker)
    expect(all.slice(0, at).map((l) => l.seq)).toEqual(Array.from({ length: at }, (_, i) => i + 1))
    expect(marker.seq).toBe(at + 1)
    expect(all[at + 1]!.seq).toBe(marker.seq + st.droppedLines)
    expect(all.at(-1)!.seq).toBe(4000)
    expect(all.length).toBe(st.lines + 1)
    // the tail and pages reach the marker from either side
    expect(repo.tail('t', all.length - at).map((l) => l.seq)).toEqual(all.slice(at).map((l) => l.seq))
    expect(repo.page('t', at, 2).map((l) => l.seq)).toEqual([marker.seq, all[at + 1]!.seq])
    expect(repo.page('t', marker.seq, 1)[0]!.seq).toBe(all[at + 1]!.seq)
  })

  it('deleting a task frees its output and gives the pages back to the disk', async () => {
    const s = await store()
    const repo = new OutputRepository(s.db)
    expect(s.db.pragma('auto_vacuum', { simple: true })).toBe(2)
    repo.append('keep', lines(1, 100))
    const small = fileBytes(s)
    for (let i = 0; i < 20; i++) repo.append('big', lines(i * 1000 + 1, 1000, 500))
    expect(fileBytes(s)).toBeGreaterThan(small + 9_000_000)
    await repo.deleteFor('big', { chunksPerStep: 8, pagesPerStep: 64 })
    expect(repo.count('big')).toBe(0)
    expect(repo.page('big')).toEqual([])
    expect(fileBytes(s)).toBeLessThan(small + 200_000)
    expect(repo.page('keep', 0, 1000)).toHaveLength(100)
  })

  it('stores 20 MB of output in at most 1.3 bytes per byte (the old layout took about 4)', async () => {
    const s = await store()
    const repo = new OutputRepository(s.db)
    const empty = fileBytes(s)
    let data = 0
    let seq = 1
    // agent-like lines: mostly ~1 KB, some short, some long; batches as the pipeline makes them
    const sizes = [1000, 1000, 120, 1000, 4000, 60, 1000, 2500]
    while (data < 20 * 1024 * 1024) {
      const batch = Array.from({ length: 200 }, (_, i) => ({ kind: 'assistant', data: 'x'.repeat(sizes[(seq + i) % sizes.length]!) }))
      repo.append('t', batch)
      data += batch.reduce((n, l) => n + l.data.length, 0)
      seq += batch.length
    }
    const ratio = (fileBytes(s) - empty) / data
    expect(ratio).toBeLessThanOrEqual(1.3)
  })

  it('upgrades the old one-row-per-line table: every line, kind and seq kept; new lines continue the seq', async () => {
    const path = await dbPath()
    const chunks = MIGRATIONS.find((m) => m.name === 'output-chunks')!.version
    const v4 = await openStore({ path, migrations: MIGRATIONS.filter((m) => m.version < chunks) })
    const ins = v4.db.prepare('INSERT INTO task_output (task_id, seq, kind, data, created_at) VALUES (?, ?, ?, ?, ?)')
    for (let i = 1; i <= 300; i++) ins.run('old', i, i % 2 ? 'assistant' : 'stderr', `line ${i} ✓ "quoted"`, '2026-01-02T03:04:05.678Z')
    ins.run('other', 1, 'notice', '', '2026-01-02T03:04:05.678Z')
    v4.close()
    const s = await store(path)
    expect(s.schemaVersion).toBe(MIGRATIONS.at(-1)!.version)
    expect(s.db.pragma('auto_vacuum', { simple: true })).toBe(2)
    const repo = new OutputRepository(s.db)
    const got = repo.page('old', 0, 1000)
    expect(got).toHaveLength(300)
    expect(got[9]).toEqual({ seq: 10, kind: 'stderr', data: 'line 10 ✓ "quoted"', createdAt: '2026-01-02T03:04:05.678Z' })
    expect(repo.page('other')).toMatchObject([{ seq: 1, kind: 'notice', data: '' }])
    expect(repo.append('old', [{ kind: 'notice', data: 'new' }])[0]!.seq).toBe(301)
    expect(repo.count('old')).toBe(301)
    const raw = new Database(path, { readonly: true })
    cleanups.push(() => void raw.close())
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'task_output'").all()).toEqual([])
    expect((await stat(path)).size).toBeGreaterThan(0)
  })
})
