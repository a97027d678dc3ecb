// Out of file descriptors: the daemon under a limit of 256 open files gets 2,000 diff requests at
// once (each runs git). It must stay up and answer every one — some of them "busy" — and still
// answer afterwards. Before, the first failed spawn threw (stdout of a pipe-less child) and killed it.
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { builtApp } from '../../../fixtures/built-app'
import { FAKE_CLAUDE, fakeEnv } from '../../../fixtures/fake-claude'
import { makeRepo, TempDirs } from '../../../fixtures/git/repos'

const root = resolve(__dirname, '../../../..')
const PRLIMIT = '/usr/bin/prlimit'
const dirs = new TempDirs()
const stops: (() => void)[] = []
// The daemon runs from source but serves the built renderer (out/renderer): without it there is
// no web UI and no link to wait for. Built here so the test does not depend on the suite's order.
beforeAll(async () => {
  await builtApp()
}, 120_000)
afterAll(() => {
  for (const s of stops) s()
  dirs.cleanup()
})

type Reply = { id: number; result: { ok: boolean; code?: string; value?: unknown } }

function client(url: string, token: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/bridge`, { headers: { Authorization: `Bearer ${token}` } })
  const waiting = new Map<number, (r: Reply) => void>()
  let next = 1
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as Reply
    if (typeof f.id === 'number') waiting.get(f.id)?.(f)
  })
  const open = new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)))
  const call = (name: string, params?: unknown) =>
    new Promise<Reply>((r) => {
      const id = next++
      waiting.set(id, r)
      ws.send(JSON.stringify({ id, name, params }))
    })
  return { open, call, close: () => ws.close() }
}

describe('file descriptors run out', () => {
  it('2,000 diff requests in flight with a limit of 256 files: every one answered, the core stays up', async () => {
    const data = await mkdtemp(join(tmpdir(), 'makima-fd-'))
    const env = { ...fakeEnv('ok'), MAKIMA_DAEMON_PROCESS_CLAUDECOMMAND: FAKE_CLAUDE, MAKIMA_DAEMON_WEB_PORT: '0', HOME: data }
    // A group of its own: a core that signalled its own group (kill(0)) would otherwise take the
    // test runner down with it instead of failing this test.
    const child = spawn(PRLIMIT, ['--nofile=256:256', process.execPath, '--import', 'tsx', join(root, 'src-main/daemon.ts'), '--data-dir', data], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    child.on('error', () => undefined)
    stops.push(() => child.kill('SIGKILL'))
    let out = ''
    let err = ''
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    const link = await new Promise<string>((res, rej) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /web (http:\/\/\S+)\/\?token=(\S+)/.exec(out)
        if (m) res(`${m[1]} ${m[2]}`)
      })
      void exited.then((c) => rej(new Error(`daemon exited ${c}: ${err}`)))
    })
    const [url, token] = link.split(' ') as [string, string]
    const admin = client(url, token)
    await admin.open
    const created = await admin.call('createTask', { name: 'Diffable', plan: 'p', repoUrl: makeRepo(dirs) })
    expect(created.result.ok).toBe(true)
    const taskId = (created.result.value as { taskId: string }).taskId
    await expect.poll(async () => ((await admin.call('getTask', { taskId })).result.value as { state: string }).state, { timeout: 60_000 }).toBe('completed')

    const clients = Array.from({ length: 8 }, () => client(url, token))
    await Promise.all(clients.map((c) => c.open))
    const replies = await Promise.all(clients.flatMap((c) => Array.from({ length: 250 }, () => c.call('getTaskDiff', { taskId }))))
    expect(replies).toHaveLength(2000)
    const codes = new Map<string, number>()
    for (const r of replies) codes.set(r.result.ok ? 'ok' : r.result.code!, (codes.get(r.result.ok ? 'ok' : r.result.code!) ?? 0) + 1)
    expect([...codes.keys()].filter((k) => k !== 'ok' && k !== 'unavailable'), JSON.stringify([...codes])).toEqual([])
    expect(codes.get('ok') ?? 0).toBeGreaterThan(0)
    expect((await admin.call('getVersion')).result.ok).toBe(true)
    for (const c of [admin, ...clients]) c.close()
    child.kill('SIGTERM')
    expect(await exited, err.slice(-2000)).toBe(0)
  }, 180_000)
})
