// The window's sign-in banner speaks to someone with a mouse: a failed sign-in says what happened
// and what to press, never a CLI command (the flow's own message says "run 'claude /login'").
import { describe, expect, it } from 'vitest'
import { fallbackNotice, type LoginFailure } from '../../../../src-main/core/auth/login-state'
import { toLoginState } from '../../../../src-main/core/bridge/auth-handlers'

const REASONS: LoginFailure[] = ['no-url', 'code-timeout', 'cancelled', 'exited', 'spawn-failed', 'store-failed']

describe('toLoginState for the window', () => {
  it('a failed sign-in never tells the user to run a command, and names the button', () => {
    for (const reason of REASONS) {
      const message0 = reason === 'store-failed' ? 'EACCES writing the token file' : fallbackNotice('host')
      const s = toLoginState({ kind: 'failed', taskIds: ['t'], reason, message: message0, at: 0 })
      expect(s.kind).toBe('failed')
      const message = (s as { message: string }).message
      expect(message, reason).not.toMatch(/\/login|run '|claude login/i)
      expect(message, reason).toContain('Try again')
    }
  })
})
