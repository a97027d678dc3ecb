// The server link's connection state, as the UI shows it.
import type { ServerStatus } from '../../../src-preload/contract'
import type { ConnectionState } from '../server/connection'

export function toServerStatus(s: ConnectionState): ServerStatus {
  switch (s.kind) {
    case 'idle':
    case 'stopped':
      return { kind: 'local' }
    case 'connecting':
      return { kind: 'connecting', url: s.url, attempt: s.attempt }
    case 'authenticating':
      return { kind: 'connecting', url: s.url, attempt: 1 }
    case 'connected':
      return { kind: 'connected', url: s.url, daemonId: s.daemonId }
    case 'reconnecting':
      return { kind: 'disconnected', url: s.url, reason: s.reason, retryInMs: s.delayMs }
    case 'auth-failed':
      return { kind: 'rejected', url: s.url, message: `${s.message}: ${s.detail}` }
  }
}
