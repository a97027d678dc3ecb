// A core event reaches every web client as the same bytes from one serialisation: with 50 output
// events and 8 clients, JSON.stringify runs 50 times (not 400), and not at all with no client.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { CoreEvents } from '../../../../src-main/core/events'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { WebAuth } from '../../../../src-main/core/web/auth'
import { startWebServer, type WebServer } from '../../../../src-main/core/web/server'

let dir: string
let web: WebServer | null = null
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'makima-web-bc-'))
  mkdirSync(join(dir, 'renderer'))
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>')
})
afterEach(async () => {
  vi.restoreAllMocks()
  await web?.close()
  web = null
  rmSync(dir, { recursive: true, force: true })
})

function client(url: string, token: string, expected: number): { open: Promise<void>; frames: Promise<Buffer[]> } {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/bridge`, { headers: { Authorization: `Bearer ${token}` } })
  const got: Buffer[] = []
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const frames = new Promise<Buffer[]>((resolve) => {
    ws.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false)
      got.push(data as Buffer)
      if (got.length === expected) {
        ws.close()
        resolve(got)
      }
    })
  })
  return { open, frames }
}

describe('web broadcast', () => {
  it('serialises each event once for all clients; every client gets identical text frames', async () => {
    const auth = await WebAuth.load(dir)
    const events = new CoreEvents()
    web = await startWebServer({ rendererDir: join(dir, 'renderer'), auth, dispatch: async () => ({ ok: true, value: null }), events, log: silentLogger() })
    const lines = (i: number) => [{ seq: i, kind: 'stdout' as const, data: `line ${i} ✓ ünïcode`, timestamp: '2026-01-01T00:00:00.000Z' }]
    const stringify = vi.spyOn(JSON, 'stringify')
    // No client: nothing is serialised for the web at all.
    for (let i = 0; i < 10; i++) events.emit('taskOutput', { taskId: 't', lines: lines(i) } as never)
    expect(stringify).not.toHaveBeenCalled()

    const clients = Array.from({ length: 8 }, () => client(web!.url, auth.current, 50))
    await Promise.all(clients.map((c) => c.open))
    stringify.mockClear()
    for (let i = 0; i < 50; i++) events.emit('taskOutput', { taskId: 't', lines: lines(i) } as never)
    expect(stringify).toHaveBeenCalledTimes(50)
    const all = await Promise.all(clients.map((c) => c.frames))
    for (const frames of all) expect(frames.map((f) => f.toString('utf8'))).toEqual(all[0]!.map((f) => f.toString('utf8')))
    expect(JSON.parse(all[0]![49]!.toString('utf8'))).toEqual({ event: 'taskOutput', payload: { taskId: 't', lines: lines(49) } })
  })
})

describe('web broadcast writes', () => {
  it('sends the frames of one turn of the event loop to a client in one socket write, in order', async () => {
    const auth = await WebAuth.load(dir)
    const events = new CoreEvents()
    web = await startWebServer({ rendererDir: join(dir, 'renderer'), auth, dispatch: async () => ({ ok: true, value: null }), events, log: silentLogger() })
    const c = client(web.url, auth.current, 200)
    await c.open
    // Count what the server's sockets hand to the kernel (writev for a batch, write for one chunk).
    const writev = vi.spyOn(Socket.prototype as unknown as { _writev: () => void }, '_writev')
    const write = vi.spyOn(Socket.prototype as unknown as { _write: () => void }, '_write')
    for (let turn = 0; turn < 2; turn++) {
      for (let i = 0; i < 100; i++) events.emit('taskOutput', { taskId: 't', lines: [{ seq: turn * 100 + i, kind: 'stdout', data: `l${i}`, timestamp: '2026-01-01T00:00:00.000Z' }] } as never)
      await new Promise((r) => setImmediate(r))
    }
    // Two turns → two kernel writes from the server (the client writes nothing until it closes).
    expect(writev.mock.calls.length + write.mock.calls.length).toBe(2)
    const frames = await c.frames
    expect(frames.map((f) => (JSON.parse(f.toString('utf8')) as { payload: { lines: { seq: number }[] } }).payload.lines[0]!.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i))
  })
})
