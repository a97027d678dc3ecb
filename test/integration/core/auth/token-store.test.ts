import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { AuthFailedTasks, FileTokenStore, TOKEN_FILE_NAME, agentAuthEnv } from '../../../../src-main/core/auth/token-store'
import { Redactor } from '../../../../src-main/core/log/redact'
import { makeToken } from '../../../fixtures/fake-setup-token'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'makima-token-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

it('FileTokenStore keeps the token in a 0600 file in the data dir, replaced atomically', async () => {
  const store = new FileTokenStore(join(dir, 'data'))
  expect(await store.load()).toBeNull()
  expect(await agentAuthEnv(store)).toEqual({})
  const first = makeToken()
  await store.save(first)
  const second = makeToken()
  await store.save(second)
  expect(await store.load()).toBe(second)
  expect((await stat(store.path)).mode & 0o777).toBe(0o600)
  expect(await readdir(join(dir, 'data'))).toEqual([TOKEN_FILE_NAME]) // no temp files left
  expect(await agentAuthEnv(store)).toEqual({ CLAUDE_CODE_OAUTH_TOKEN: second })
  await store.clear()
  expect(await store.load()).toBeNull()
})

it('FileTokenStore registers a token it loads with the Redactor', async () => {
  // A value no pattern knows: only its registration as an exact secret can mask it.
  const token = 'opaque-token-4f9c2e71b8'
  await writeFile(join(dir, TOKEN_FILE_NAME), `${token}\n`, { mode: 0o600 })
  const redactor = new Redactor()
  expect(redactor.redactText(`t ${token}`)).toBe(`t ${token}`)
  expect(await new FileTokenStore(dir, redactor).load()).toBe(token)
  expect(redactor.redactText(`t ${token}`)).toBe('t [REDACTED]')
})

it('AuthFailedTasks lists tasks oldest first and reports changes', () => {
  const reg = new AuthFailedTasks()
  const seen: string[][] = []
  const off = reg.onChange((t) => seen.push(t.map((x) => x.taskId)))
  reg.add({ taskId: 'b', sessionId: 's2', reason: 'token-expired', message: 'm', failedAt: 2 })
  reg.add({ taskId: 'a', sessionId: null, reason: 'not-logged-in', message: 'm', failedAt: 1 })
  expect(reg.list().map((t) => t.taskId)).toEqual(['a', 'b'])
  expect(reg.remove('a')).toBe(true)
  expect(reg.remove('a')).toBe(false)
  off()
  reg.add({ taskId: 'c', sessionId: null, reason: 'unauthorized', message: 'm', failedAt: 3 })
  expect(seen).toEqual([['b'], ['a', 'b'], ['b']])
  expect(reg.has('c')).toBe(true)
})
