import { describe, expect, it } from 'vitest'
import { AuthErrorWatch, detectAuthError, matchText, type AuthCheckLine } from '../../../../src-main/core/auth/detect'

const out = (json: unknown): AuthCheckLine => ({ stream: 'stdout', text: JSON.stringify(json) })
const assistant = (text: string, extra: Record<string, unknown> = {}) =>
  out({ type: 'assistant', message: { model: '<synthetic>', role: 'assistant', content: [{ type: 'text', text }] }, session_id: 's', ...extra })
const EXPIRED_401 = 'Failed to authenticate. API Error: 401 OAuth token has expired. Please obtain a new token or refresh your existing token.'

describe('detectAuthError', () => {
  it('fires on the assistant line that carries error "authentication_failed"', () => {
    expect(detectAuthError(assistant('Not logged in · Please run /login', { error: 'authentication_failed', is_api_error_message: true }))).toEqual({
      reason: 'not-logged-in', message: 'Not logged in · Please run /login', via: 'assistant-error',
    })
    expect(detectAuthError(assistant(EXPIRED_401, { error: 'authentication_failed' }))).toMatchObject({ reason: 'token-expired' })
    expect(detectAuthError(assistant('Invalid API key · Fix external API key', { error: 'authentication_failed' }))).toMatchObject({ reason: 'invalid-credentials' })
  })

  it('fires on an error result with status 401, or with the CLI\'s own auth text', () => {
    expect(detectAuthError(out({ type: 'result', subtype: 'success', is_error: true, api_error_status: 401, result: EXPIRED_401 }))).toMatchObject({ reason: 'token-expired', via: 'result-status' })
    expect(detectAuthError(out({ type: 'result', subtype: 'success', is_error: true, api_error_status: null, result: 'Not logged in · Please run /login' }))).toMatchObject({ via: 'result-text' })
    expect(detectAuthError(out({ type: 'result', subtype: 'error_during_execution', is_error: true, errors: ['Invalid API key · Please run /login'] }))).toMatchObject({ reason: 'invalid-credentials' })
  })

  it('uses an already parsed object when the agent layer gives one', () => {
    const json = { type: 'assistant', error: 'authentication_failed', message: { content: [{ type: 'text', text: 'Not logged in · Please run /login' }] } }
    expect(detectAuthError({ stream: 'stdout', text: 'ignored', json })).toMatchObject({ via: 'assistant-error' })
  })

  it('matches the original text patterns on stderr, plain stdout and system lines', () => {
    expect(detectAuthError({ stream: 'stderr', text: 'Invalid API key · Please run /login (ANTHROPIC_API_KEY)' })).toMatchObject({ via: 'text' })
    expect(detectAuthError({ stream: 'stderr', text: 'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token has expired. Please obtain a new token or refresh your existing token."}} · Please run /login' })).toMatchObject({ reason: 'token-expired' })
    expect(detectAuthError({ stream: 'stdout', text: 'Failed to authenticate. API Error: 401 Invalid bearer token' })).toMatchObject({ reason: 'invalid-credentials' })
    expect(detectAuthError(out({ type: 'system', subtype: 'notification', text: 'Please run /login to authenticate' }))).toMatchObject({ via: 'text' })
    expect(detectAuthError(out({ type: 'auth_status', isAuthenticating: false, output: [], error: 'OAuth token has expired' }))).toMatchObject({ via: 'auth-status' })
  })

  it('does not fire on conversation, tool output, retries or other errors', () => {
    const talk = 'To fix it, Please run /login and authenticate; an "authentication_error" says "OAuth token has expired".'
    expect(detectAuthError(assistant(talk))).toBeNull() // the model talking about auth
    expect(detectAuthError(assistant('rate limited', { error: 'rate_limit' }))).toBeNull()
    expect(detectAuthError(out({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: talk + ' {"type":"error","error":{"type":"authentication_error"}}' }] } }))).toBeNull()
    expect(detectAuthError(out({ type: 'stream_event', event: { type: 'content_block_delta', delta: { type: 'text_delta', text: talk } } }))).toBeNull()
    expect(detectAuthError(out({ type: 'system', subtype: 'api_retry', attempt: 1, error_status: 401, error: 'authentication_error' }))).toBeNull()
    expect(detectAuthError(out({ type: 'result', subtype: 'success', is_error: false, result: talk }))).toBeNull()
    expect(detectAuthError(out({ type: 'result', subtype: 'success', is_error: true, api_error_status: 429, result: "You've hit your session limit" }))).toBeNull()
    expect(detectAuthError(out({ type: 'system', subtype: 'init', slash_commands: ['login'], apiKeySource: 'none' }))).toBeNull()
  })

  it('needs both halves of each text pattern', () => {
    for (const lone of ['Please run /login', 'Invalid API key', 'authentication_error', 'OAuth token has expired', '"type":"error" authentication', 'I could not authenticate the user']) {
      expect(matchText(lone), lone).toBeNull()
    }
  })
})

describe('AuthErrorWatch', () => {
  it('reports once per run: the assistant line, not the result or stderr after it', () => {
    const watch = new AuthErrorWatch()
    const lines = [
      out({ type: 'system', subtype: 'init', apiKeySource: 'none' }),
      assistant('Not logged in · Please run /login', { error: 'authentication_failed' }),
      out({ type: 'result', is_error: true, api_error_status: 401, result: 'Not logged in · Please run /login' }),
      { stream: 'stderr' as const, text: 'Invalid API key · Please run /login' },
    ]
    expect(lines.map((l) => watch.observe(l)?.via ?? null)).toEqual([null, 'assistant-error', null, null])
    expect(watch.detected?.reason).toBe('not-logged-in')
  })
})
