// The server link's connection state, as the UI shows it. A server URL may carry credentials
// (wss://user:password@host); the UI gets the URL without them.
import type { ServerStatus } from '../../../src-preload/contract'
import type { ConnectionState } from '../server/connection'

/** The URL with any user name and password removed (a bare token may sit in either). */
export function withoutCredentials(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return raw.replace(/(\/\/)[^/?#\s]*@/, '$1')
  }
  if (!url.username && !url.password) return raw
  url.username = ''
  url.password = ''
  return url.toString()
}

export function toServerStatus(s: ConnectionState): ServerStatus {
  switch (s.kind) {
    case 'idle':
    case 'stopped':
      return { kind: 'local' }
    case 'connecting':
      return { kind: 'connecting', url: withoutCredentials(s.url), attempt: s.attempt }
    case 'authenticating':
      return { kind: 'connecting', url: withoutCredentials(s.url), attempt: 1 }
    case 'connected':
      return { kind: 'connected', url: withoutCredentials(s.url), daemonId: s.daemonId }
    case 'reconnecting':
      return { kind: 'disconnected', url: withoutCredentials(s.url), reason: s.reason, retryInMs: s.delayMs }
    case 'auth-failed':
      return { kind: 'rejected', url: withoutCredentials(s.url), message: `${s.message}: ${s.detail}` }
  }
}
