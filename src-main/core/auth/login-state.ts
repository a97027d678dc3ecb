// The login flow's states and outcomes, as values that cross the bridge (see login-flow.ts).

export type LoginFailure = 'no-url' | 'code-timeout' | 'cancelled' | 'exited' | 'spawn-failed' | 'store-failed'

export type LoginState =
  | { kind: 'idle' }
  | { kind: 'starting'; taskIds: string[]; startedAt: number }
  | { kind: 'awaiting-code'; taskIds: string[]; loginUrl: string; hostname: string; attempt: number; error: string | null; expiresAt: number }
  | { kind: 'verifying'; taskIds: string[]; loginUrl: string; hostname: string; attempt: number }
  | { kind: 'succeeded'; taskIds: string[]; at: number }
  | { kind: 'failed'; taskIds: string[]; reason: LoginFailure; message: string; at: number }

export type LoginStartOutcome =
  | { kind: 'url'; loginUrl: string; hostname: string; joined: boolean }
  | { kind: 'unavailable'; reason: LoginFailure; notice: string }

export type SubmitCodeOutcome =
  | { kind: 'written'; attempt: number }
  | { kind: 'no-pending-flow' }
  | { kind: 'not-ready'; state: LoginState['kind'] }
  | { kind: 'empty' }

export interface AuthenticationRequired {
  taskId?: string
  loginUrl: string
  hostname: string
}

/** The original daemon's words when no login link could be obtained. */
export function fallbackNotice(hostname: string): string {
  return `Authentication required on daemon${hostname ? ` (${hostname})` : ''}. Please run 'claude /login' on the daemon machine.`
}
