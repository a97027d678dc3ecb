// Tool keys never rest on disk in the remote outbox (issue 12, item 3: another user read a live
// key from the WAL). The raw bytes of the database and its WAL are searched for the key while its
// registerToolKey row waits; the frame that goes out still carries the live key.
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { Outbox } from '../../../../src-main/core/server/outbox'
import { openStore } from '../../../../src-main/core/store/db'

async function store() {
  return openStore({ path: join(await mkdtemp(join(tmpdir(), 'makima-outbox-keys-')), 'daemon.db') })
}
/** Every byte SQLite keeps for this database: the file, its WAL and its SHM. */
const rawBytes = (path: string) => Buffer.concat(['', '-wal', '-shm'].map((s) => (existsSync(path + s) ? readFileSync(path + s) : Buffer.alloc(0))))
const key = () => randomBytes(32).toString('hex')

describe('tool keys in the outbox', () => {
  it('stores a reference, not the key; the frame sent carries the live key', async () => {
    const s = await store()
    const taskId = randomUUID()
    const live = key()
    const o = new Outbox({ db: s.db, log: silentLogger(), toolKey: (id) => (id === taskId ? live : undefined) })
    o.enqueue({ type: 'registerToolKey', taskId, key: live })
    expect(o.size().count).toBe(1)
    expect(rawBytes(s.path).includes(live)).toBe(false)
    expect(rawBytes(s.path).includes(taskId)).toBe(true) // the search does see what is stored
    expect(o.nextBatch(0, 10).map((r) => JSON.parse(r.frame) as unknown)).toEqual([{ type: 'registerToolKey', taskId, key: live }])
    s.close()
  })

  it('drops a registerToolKey whose key was revoked or replaced before it was sent', async () => {
    const s = await store()
    const [a, b] = [randomUUID(), randomUUID()]
    const keys = new Map<string, string>([[a, key()], [b, key()]])
    const o = new Outbox({ db: s.db, log: silentLogger(), toolKey: (id) => keys.get(id) })
    o.enqueue({ type: 'registerToolKey', taskId: a, key: keys.get(a)! })
    o.enqueue({ type: 'registerToolKey', taskId: b, key: keys.get(b)! })
    o.enqueue({ type: 'taskComplete', taskId: a, success: true })
    keys.delete(a) // revoked
    keys.set(b, key()) // replaced by a newer key (its own row follows)
    expect(o.nextBatch(0, 1).map((r) => (JSON.parse(r.frame) as { type: string }).type)).toEqual(['taskComplete'])
    expect(o.size().count).toBe(1)
    s.close()
  })

  it('zeroes a confirmed row on disk (secure_delete), so what it held does not linger in free space', async () => {
    const s = await store()
    const taskId = randomUUID()
    const marker = `secret-output-${key()}`
    const o = new Outbox({ db: s.db, log: silentLogger() })
    o.enqueue({ type: 'taskOutput', taskId, output: 'x', isPartial: false })
    o.enqueue({ type: 'taskOutput', taskId, output: marker, isPartial: false })
    o.enqueue({ type: 'taskOutput', taskId, output: 'y', isPartial: false })
    s.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(rawBytes(s.path).includes(marker)).toBe(true)
    o.confirm(o.nextBatch(0, 10)[1]!.seq)
    s.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(rawBytes(s.path).includes(marker)).toBe(false)
    s.close()
  })

  it('turns keys an older version stored in plain text into references, and leaves none in the file or WAL', async () => {
    const s = await store()
    const taskId = randomUUID()
    const old = key()
    const frame = JSON.stringify({ type: 'registerToolKey', taskId, key: old })
    s.db.prepare('INSERT INTO server_outbox (type, task_id, frame, bytes, created_at) VALUES (?, ?, ?, ?, ?)').run('registerToolKey', taskId, frame, frame.length, new Date().toISOString())
    s.db.pragma('wal_checkpoint(PASSIVE)') // the key is now in the main file as well as the WAL
    expect(rawBytes(s.path).includes(old)).toBe(true)
    const o = new Outbox({ db: s.db, log: silentLogger(), toolKey: () => old })
    expect(rawBytes(s.path).includes(old)).toBe(false)
    expect(o.nextBatch(0, 10).map((r) => JSON.parse(r.frame) as unknown)).toEqual([{ type: 'registerToolKey', taskId, key: old }])
    s.close()
  })
})
