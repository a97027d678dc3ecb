// When to raise (and withdraw) the sign-in prompt, from any agent's common events.
// - A fatal auth error (the CLI gave up) raises it.
// - Fast path: the CLI retries a rejected credential by itself — Claude Code retries a 401 ten
//   times over ~3 minutes before it reports the error. Two consecutive auth retries raise the
//   prompt at once: one 401 can be a race with a token refresh, two in a row (with the CLI's backoff
//   between them) mean the credential is rejected.
// - If the API answers after that (text, a tool call, a good turn), the prompt is withdrawn.
import type { AgentEvent } from '../agents/adapters/types'
import type { AuthErrorMatch } from '../auth/detect'

export type AuthSignal = { kind: 'raise'; match: AuthErrorMatch } | { kind: 'withdraw' }

export const AUTH_RETRIES_TO_RAISE = 2

type WatchState = { kind: 'clear'; authRetries: number } | { kind: 'raised-by-retry' } | { kind: 'raised' }

/** One per run. */
export class AuthEventWatch {
  private state: WatchState = { kind: 'clear', authRetries: 0 }

  observe(ev: AgentEvent): AuthSignal | null {
    const s = this.state
    if (s.kind === 'raised') return null
    if (ev.kind === 'error' && ev.category === 'auth') {
      this.state = { kind: 'raised' }
      if (s.kind === 'raised-by-retry') return null // already shown
      return { kind: 'raise', match: ev.auth ?? { reason: 'unauthorized', message: ev.message, via: 'text' } }
    }
    if (ev.kind === 'retry') {
      if (s.kind !== 'clear') return null
      const authRetries = ev.category === 'auth' ? s.authRetries + 1 : 0
      if (authRetries < AUTH_RETRIES_TO_RAISE) {
        this.state = { kind: 'clear', authRetries }
        return null
      }
      this.state = { kind: 'raised-by-retry' }
      const status = ev.status !== null ? ` ${ev.status}` : ''
      return { kind: 'raise', match: { reason: 'unauthorized', message: `The API rejected the credentials${status} (${authRetries} retries so far)`, via: 'api-retry' } }
    }
    if (answered(ev)) {
      this.state = { kind: 'clear', authRetries: 0 }
      if (s.kind === 'raised-by-retry') return { kind: 'withdraw' }
    }
    return null
  }
}

/** The model answered: the credentials work. */
function answered(ev: AgentEvent): boolean {
  return ev.kind === 'text' || ev.kind === 'thinking' || ev.kind === 'tool_call' || (ev.kind === 'turn_completed' && ev.ok)
}
