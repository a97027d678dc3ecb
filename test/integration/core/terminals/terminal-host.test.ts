// Real shells in real PTYs, in a real git worktree: what the Terminal tab stands on.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createDispatcher } from '../../../../src-main/core/bridge/dispatch'
import { createTerminalHandlers } from '../../../../src-main/core/bridge/terminal-handlers'
import { silentLogger } from '../../../../src-main/core/log/logger'
import { TerminalError, type TerminalHost } from '../../../../src-main/core/terminals/host'
import { git, TempDirs } from '../../../fixtures/git/repos'
import { alive, childrenOf, makeHost, makeWorktree, Recorder, waitFor } from './helpers'

const dirs = new TempDirs()
let worktree: string
let home: string
let host: TerminalHost
let rec: Recorder

beforeAll(() => {
  ;({ worktree } = makeWorktree(dirs))
  home = join(dirs.make('makima-home-'), 'home')
})

afterEach(async () => {
  rec?.dispose()
  await host?.dispose()
})

afterAll(() => dirs.cleanup())

const refusal = async (p: Promise<unknown> | (() => unknown)): Promise<TerminalError> => {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (err) {
    if (err instanceof TerminalError) return err
    throw err
  }
  throw new Error('expected a TerminalError')
}

describe('TerminalHost with a real shell', () => {
  it('starts in the worktree, echoes, resizes and keeps the daemon secrets out of the shell', async () => {
    host = makeHost({ worktrees: { t1: worktree }, home })
    rec = new Recorder(host)
    const { terminalId: id } = await host.open('t1', { cols: 90, rows: 30 })
    expect(host.list('t1')).toEqual([expect.objectContaining({ terminalId: id, taskId: 't1', cwd: worktree })])

    host.write(id, 'pwd\r')
    await rec.waitLine(id, worktree)

    host.write(id, 'echo round-$((20+22))-trip\r')
    await rec.waitLine(id, 'round-42-trip')

    host.write(id, 'stty size\r')
    await rec.waitLine(id, '30 90')
    host.resize(id, 123, 45)
    host.write(id, 'stty size\r')
    await rec.waitLine(id, '45 123')

    host.write(id, 'env > "$HOME/env.txt"; echo env-written\r')
    await rec.waitLine(id, 'env-written')
    const env = readFileSync(join(home, 'env.txt'), 'utf8')
    expect(env).not.toMatch(/^MAKIMA_/m)
    expect(env).not.toContain('sk-makima-test-secret')
    expect(env).not.toContain('sk-ant-oat-test-token')
    expect(env).toMatch(/^TERM=xterm-256color$/m)
    expect(env).toContain(`PWD=${worktree}`)

    host.write(id, 'exit 7\r')
    expect(await rec.waitExit(id)).toBe(7)
    expect(host.list()).toEqual([])
    expect(() => host.write(id, 'x')).toThrow(TerminalError)
  })

  it('pauses a flooding shell while output is unacknowledged, and resumes once acks catch up', async () => {
    host = makeHost({ worktrees: { t1: worktree }, home })
    rec = new Recorder(host)
    rec.autoAck = false
    const { terminalId: id } = await host.open('t1')
    host.write(id, 'yes flow-control-line\r')
    await waitFor(() => host.stats(id)?.paused, { what: 'the pty to pause' })

    // An observation window, not a synchronisation: with no acks nothing more may pile up.
    const bound = 100 * 1024 + 64 * 1024 + 64 * 1024 // high water + a batch + one pty read
    let peak = 0
    const until = Date.now() + 400
    while (Date.now() < until) {
      const s = host.stats(id)!
      peak = Math.max(peak, s.buffered + s.unacked)
      expect(s.paused).toBe(true)
      await new Promise((r) => setTimeout(r, 20))
    }
    const receivedWhilePaused = rec.received.get(id)!
    expect(peak).toBeLessThanOrEqual(bound)
    expect(receivedWhilePaused).toBeLessThanOrEqual(bound)
    expect(host.stats(id)!.unacked).toBe(receivedWhilePaused)

    // The renderer catches up: output flows again, well past the window.
    rec.autoAck = true
    host.ack(id, receivedWhilePaused)
    await waitFor(() => rec.received.get(id)! > receivedWhilePaused + 2 * bound, { what: 'output to resume' })
    expect(host.stats(id)!.acked).toBeGreaterThan(receivedWhilePaused)

    host.write(id, '\x03') // Ctrl-C stops `yes`
    host.write(id, 'echo stopped-yes\r')
    await rec.waitLine(id, 'stopped-yes', 15_000)
  })

  it('a detached shell runs on unpaused and keeps its output; attaching replays it and goes live from its end', async () => {
    host = makeHost({ worktrees: { t1: worktree }, home })
    rec = new Recorder(host)
    rec.autoAck = false
    const { terminalId: id } = await host.open('t1')
    const pid = host.list('t1')[0]!.pid
    host.detach(id)
    host.write(id, 'head -c 400000 /dev/zero | tr "\\0" y; echo; echo detached-$((40+2))\r')
    // No view acknowledges anything, yet the shell runs to the end and nothing is sent to views.
    const before = rec.received.get(id) ?? 0
    await waitFor(() => host.peek(id)?.includes('detached-42'), { what: 'the output to be kept' })
    expect(host.stats(id)).toMatchObject({ paused: false, unacked: 0 })
    expect(host.stats(id)!.sent).toBeGreaterThan(400_000)
    expect(rec.received.get(id) ?? 0).toBe(before)
    const { scrollback, end } = host.attach(id)
    expect(scrollback.length).toBeLessThanOrEqual(512 * 1024)
    expect(end).toBeGreaterThan(400_000)
    host.write(id, 'echo live-again\r')
    await rec.waitLine(id, 'live-again', 15_000)
    expect(host.list('t1')).toEqual([expect.objectContaining({ terminalId: id, pid })])
  })

  it('close hangs up the shell with its jobs — also one that ignores SIGHUP', async () => {
    host = makeHost({ worktrees: { t1: worktree }, home })
    rec = new Recorder(host)
    const { terminalId: id } = await host.open('t1')
    const shell = host.list()[0]!.pid
    host.write(id, 'sleep 1001 & nohup sleep 1002 >/dev/null 2>&1 & sleep 1003\r')
    const jobs = await waitFor(() => {
      const c = childrenOf(shell).filter((p) => p.comm === 'sleep')
      return c.length === 3 ? c : null
    }, { what: 'three sleeps' })

    await host.close(id)
    expect(rec.exits.has(id)).toBe(true)
    expect(alive(shell)).toBe(false)
    for (const j of jobs) expect(alive(j.pid), `sleep ${j.pid}`).toBe(false)
    await expect(host.close(id)).rejects.toThrow(/not open/)
  })

  it('closes the terminals of a worktree that is removed, and all of them on dispose', async () => {
    const other = makeWorktree(dirs, 'doomed')
    host = makeHost({ worktrees: { t1: worktree, t2: other.worktree }, home })
    rec = new Recorder(host)
    const a = (await host.open('t2')).terminalId
    const b = (await host.open('t2')).terminalId
    const c = (await host.open('t1')).terminalId
    const pids = host.list().map((t) => t.pid)
    host.write(a, 'echo ready\r')
    await rec.waitLine(a, 'ready')

    git(other.repo, 'worktree', 'remove', '--force', other.worktree)
    await rec.waitExit(a)
    await rec.waitExit(b)
    expect(rec.text(a)).toContain('[the worktree was removed; terminal closed]')
    expect(host.list().map((t) => t.terminalId)).toEqual([c])

    await host.dispose()
    expect(rec.exits.has(c)).toBe(true)
    for (const p of pids) expect(alive(p)).toBe(false)
    await expect(host.open('t1')).rejects.toThrow(/shutting down/)
  })

  it('refuses what it cannot or should not do', async () => {
    const gone = makeWorktree(dirs, 'vanished').worktree
    rmSync(gone, { recursive: true, force: true })
    host = makeHost({ worktrees: { t1: worktree, none: null, gone }, home, maxTerminals: 2 })
    rec = new Recorder(host)

    expect((await refusal(host.open('missing'))).kind).toBe('not-found')
    const noWt = await refusal(host.open('none'))
    expect(noWt.kind).toBe('no-worktree')
    expect(noWt.message).toMatch(/has no worktree/)
    const vanished = await refusal(host.open('gone'))
    expect(vanished.kind).toBe('no-worktree')
    expect(vanished.message).toContain(gone)
    expect((await refusal(host.open('t1', { cols: 0 }))).kind).toBe('invalid')

    const { terminalId: id } = await host.open('t1')
    await host.open('t1')
    const limit = await refusal(host.open('t1'))
    expect(limit.kind).toBe('limit')
    expect(limit.message).toMatch(/Too many open terminals \(2\)/)

    for (const [cols, rows] of [[0, 10], [501, 10], [80, 0], [80, 201], [80.5, 24]]) {
      expect((await refusal(() => host.resize(id, cols!, rows!))).kind).toBe('invalid')
    }
    host.resize(id, 500, 200)
    expect((await refusal(() => host.write(id, 'x'.repeat(64 * 1024 + 1)))).kind).toBe('invalid')
    expect((await refusal(() => host.write('nope', 'x'))).kind).toBe('not-found')
    expect((await refusal(() => host.ack(id, -1))).kind).toBe('invalid')
    host.ack('ended-or-unknown', 10) // late acks are harmless
  })

  it('answers through the bridge with errors as data', async () => {
    host = makeHost({ worktrees: { t1: worktree, none: null }, home })
    rec = new Recorder(host)
    const dispatch = createDispatcher(createTerminalHandlers(host), silentLogger())
    const me = { trusted: true, label: 'test' }

    expect(await dispatch('openTerminal', { taskId: 'none' }, me)).toEqual({ ok: false, code: 'conflict', message: 'Task task none has no worktree yet.' })
    expect(await dispatch('openTerminal', { taskId: 'nope' }, me)).toMatchObject({ ok: false, code: 'not-found' })
    expect(await dispatch('resizeTerminal', { terminalId: 'x', cols: 501, rows: 10 }, me)).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(await dispatch('writeTerminal', { terminalId: 'x', data: 'y'.repeat(64 * 1024 + 1) }, me)).toMatchObject({ ok: false, code: 'invalid-params' })

    const opened = await dispatch('openTerminal', { taskId: 't1', cols: 100, rows: 20 }, me)
    expect(opened.ok).toBe(true)
    const id = (opened as { ok: true; value: { terminalId: string } }).value.terminalId
    expect(await dispatch('writeTerminal', { terminalId: id, data: 'stty size\r' }, me)).toEqual({ ok: true, value: null })
    await rec.waitLine(id, '20 100')
    expect(await dispatch('ackTerminal', { terminalId: id, bytes: 10 }, me)).toEqual({ ok: true, value: null })
    expect(await dispatch('closeTerminal', { terminalId: id }, me)).toEqual({ ok: true, value: null })
    expect(rec.exits.has(id)).toBe(true)
    expect(await dispatch('closeTerminal', { terminalId: id }, me)).toMatchObject({ ok: false, code: 'not-found' })
  })
})
