import { describe, expect, it } from 'vitest'
import { toServerStatus, withoutCredentials } from '../../../../src-main/core/bridge/server-status'

describe('server status for the UI', () => {
  it('never shows credentials that sit in the server URL', () => {
    const url = 'wss://daemon:hunter2-secret@server.example/ws/daemon'
    for (const s of [
      toServerStatus({ kind: 'connecting', url, attempt: 2 }),
      toServerStatus({ kind: 'authenticating', url }),
      toServerStatus({ kind: 'connected', url, daemonId: 'd1' }),
      toServerStatus({ kind: 'reconnecting', url, attempt: 1, delayMs: 10, reason: 'closed' }),
      toServerStatus({ kind: 'auth-failed', url, message: 'Authentication failed', detail: 'bad key', attempt: 1, delayMs: 10 }),
    ]) {
      expect(JSON.stringify(s)).not.toContain('hunter2-secret')
      expect(JSON.stringify(s)).not.toContain('daemon:')
      expect(s).toMatchObject({ url: 'wss://server.example/ws/daemon' })
    }
  })
  it('strips a bare token used as the user name, keeps ordinary URLs as they are', () => {
    expect(withoutCredentials('https://ghp_abcdefabcdef@host.example/x')).toBe('https://host.example/x')
    expect(withoutCredentials('wss://host.example:8443/ws/daemon?x=1')).toBe('wss://host.example:8443/ws/daemon?x=1')
    expect(withoutCredentials('not a url://user:pw@x')).not.toContain('pw')
  })
})
