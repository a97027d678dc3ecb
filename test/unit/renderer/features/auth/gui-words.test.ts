// Terminal instructions that reach the window (the CLI's "Please run /login", the core's notice)
// are turned into the window's way of signing in.
import { describe, expect, it } from 'vitest'
import { forGui, SIGN_IN_HINT } from '../../../../../src-renderer/src/features/auth/gui-words'

describe('forGui', () => {
  it('replaces every way of saying "run /login"', () => {
    expect(forGui('Invalid API key · Please run /login')).toBe(`Invalid API key · ${SIGN_IN_HINT}`)
    expect(forGui('Not logged in · Please run /login')).toBe(`Not logged in · ${SIGN_IN_HINT}`)
    expect(forGui("Authentication required on daemon (box). Please run 'claude /login' on the daemon machine.")).toBe(`Authentication required on daemon (box). ${SIGN_IN_HINT}`)
  })

  it('leaves other messages alone', () => {
    expect(forGui('Merge main into the task first')).toBe('Merge main into the task first')
    expect(forGui('the agent wrote docs/login.md')).toBe('the agent wrote docs/login.md')
  })
})
