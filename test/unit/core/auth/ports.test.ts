// The adapters satisfy the ports the task engine and the server link declared, and map outcomes.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { AuthService } from '../../../../src-main/core/auth/auth-service'
import { LoginFlow } from '../../../../src-main/core/auth/login-flow'
import { serverLoginPort, taskAuthPort } from '../../../../src-main/core/auth/ports'
import type { PtyLike } from '../../../../src-main/core/auth/pty'
import { MemoryTokenStore } from '../../../../src-main/core/auth/token-store'
import type { LoginPort } from '../../../../src-main/core/server/ports'
import type { AuthPort } from '../../../../src-main/core/tasks/ports'
import { ManualTimers, capturingLogger } from '../../../fixtures/fake-setup-token'

function service() {
  let data: (d: string) => void = () => {}
  const writes: string[] = []
  const pty: PtyLike = {
    pid: 1, write: (d) => void writes.push(d), kill: () => {},
    onData: (l) => ((data = l), { dispose: () => {} }), onExit: () => ({ dispose: () => {} }),
  }
  const { log, redactor } = capturingLogger()
  const tokens = new MemoryTokenStore()
  const flow = new LoginFlow({ command: 'claude', tokens, redactor, log, hostname: 'h', timers: new ManualTimers(), spawn: () => pty })
  return { auth: new AuthService({ flow, tokens, log }), emit: (d: string) => data(d), writes }
}

describe('auth ports', () => {
  it('fit the task engine and server link ports', () => {
    const { auth } = service()
    expectTypeOf(taskAuthPort(auth)).toExtend<AuthPort>()
    expectTypeOf(serverLoginPort(auth)).toExtend<LoginPort>()
  })

  it('requestLogin lists the task and yields the URL; codes map to accepted / no-pending-login', async () => {
    const { auth, emit, writes } = service()
    const tasks = taskAuthPort(auth)
    const server = serverLoginPort(auth)
    expect(await server.submitCode('abcdefg')).toEqual({ kind: 'no-pending-login' })
    const url = 'https://claude.com/cai/oauth/authorize?code=true&state=s'
    const pending = tasks.requestLogin('t1', { sessionId: 'sess', match: { reason: 'token-expired', message: 'expired', via: 'assistant-error' } })
    emit(`${url}\r\nPaste code here if prompted\r\n`)
    expect(await pending).toEqual({ loginUrl: url })
    expect(auth.failedTasks.list()).toMatchObject([{ taskId: 't1', sessionId: 'sess', reason: 'token-expired' }])
    expect(await server.submitCode('abcdefg#h')).toEqual({ kind: 'accepted' })
    expect(writes).toEqual(['abcdefg#h\r'])
    expect(tasks.submitCode('again#x')).toBe(false) // the first code is being verified
  })
})
