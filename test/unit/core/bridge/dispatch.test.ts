import { describe, expect, it } from 'vitest'
import { BridgeError, createDispatcher, type PartialHandlers } from '../../../../src-main/core/bridge/dispatch'
import { InvalidRefError, PathEscapeError } from '../../../../src-main/core/git'
import { Logger, silentLogger } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'

const trusted = { trusted: true, label: 'file:///app/index.html' }

function handlers(over: PartialHandlers = {}): PartialHandlers {
  return {
    getVersion: () => ({ app: '1.0.0', node: '20', electron: null, schemaVersion: 1, mode: 'daemon' }),
    listTasks: (p) => (p?.limit === 1 ? [] : []),
    ...over,
  }
}

describe('createDispatcher', () => {
  it('answers a valid request with ok: true', async () => {
    const d = createDispatcher(handlers(), silentLogger())
    expect(await d('getVersion', undefined, trusted)).toEqual({ ok: true, value: { app: '1.0.0', node: '20', electron: null, schemaVersion: 1, mode: 'daemon' } })
  })

  it('refuses an untrusted sender before looking at the payload, and never runs the handler', async () => {
    let ran = false
    const d = createDispatcher(handlers({ listTasks: () => ((ran = true), []) }), silentLogger())
    const r = await d('listTasks', undefined, { trusted: false, label: 'https://evil.example' })
    expect(r).toMatchObject({ ok: false, code: 'untrusted-sender' })
    expect(ran).toBe(false)
  })

  it('refuses invalid params with a typed error naming the field', async () => {
    let ran = false
    const d = createDispatcher(handlers({ listTasks: () => ((ran = true), []) }), silentLogger())
    const r = await d('listTasks', { limit: 'ten' }, trusted)
    expect(r).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(!r.ok && r.message).toContain('limit')
    expect(await d('listTasks', { limit: 5, extra: true }, trusted)).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(await d('listTasks', { states: ['exploded'] }, trusted)).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(await d('getVersion', { sneaky: 1 }, trusted)).toMatchObject({ ok: false, code: 'invalid-params' })
    expect(ran).toBe(false)
  })

  it('refuses unknown requests, including prototype names', async () => {
    const d = createDispatcher(handlers(), silentLogger())
    expect(await d('deleteEverything', undefined, trusted)).toMatchObject({ ok: false, code: 'unknown-request' })
    expect(await d('__proto__', undefined, trusted)).toMatchObject({ ok: false, code: 'unknown-request' })
    expect(await d('toString', undefined, trusted)).toMatchObject({ ok: false, code: 'unknown-request' })
  })

  it('answers unavailable for a request no running service handles', async () => {
    const d = createDispatcher(handlers(), silentLogger())
    expect(await d('startLogin', undefined, trusted)).toMatchObject({ ok: false, code: 'unavailable' })
  })

  it('turns handler failures into data', async () => {
    const d = createDispatcher(
      handlers({
        listTasks: () => {
          throw new BridgeError('not-found', 'no such contract')
        },
        getVersion: () => {
          throw new Error('disk on fire')
        },
      }),
      silentLogger(),
    )
    expect(await d('listTasks', undefined, trusted)).toEqual({ ok: false, code: 'not-found', message: 'no such contract' })
    expect(await d('getVersion', undefined, trusted)).toMatchObject({ ok: false, code: 'internal', message: expect.stringContaining('disk on fire') })
  })

  it('a refused path or branch name is invalid-params; secrets in any error text never cross the bridge', async () => {
    const redactor = new Redactor()
    redactor.addSecret('registered-server-key')
    const log = new Logger({ level: 'error', redactor, stderr: null })
    const d = createDispatcher(
      handlers({
        getVersion: () => {
          throw new PathEscapeError('/wt', '../outside')
        },
        listTasks: () => {
          throw new InvalidRefError('-x', "starts with '-'")
        },
        getTask: () => {
          throw new Error("fatal: unable to access 'https://x-access-token:ghs_tokentokentoken123@github.com/o/r.git/' with registered-server-key")
        },
        getTaskDiff: () => {
          throw new BridgeError('conflict', 'Pushing to https://bob:pa55w0rd-secret@git.example/r.git failed')
        },
      }),
      log,
    )
    expect(await d('getVersion', undefined, trusted)).toMatchObject({ ok: false, code: 'invalid-params', message: expect.stringContaining('outside') })
    expect(await d('listTasks', undefined, trusted)).toMatchObject({ ok: false, code: 'invalid-params' })
    const internal = await d('getTask', { taskId: 't1' }, trusted)
    const conflict = await d('getTaskDiff', { taskId: 't1' }, trusted)
    expect(internal).toMatchObject({ ok: false, code: 'internal' })
    expect(conflict).toMatchObject({ ok: false, code: 'conflict' })
    const text = JSON.stringify([internal, conflict])
    for (const secret of ['ghs_tokentokentoken123', 'registered-server-key', 'pa55w0rd-secret']) expect(text).not.toContain(secret)
    expect(text).toContain('github.com/o/r.git')
  })
})
