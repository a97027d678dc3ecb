// The terminal's shell and environment: the user's shell, never the daemon's secrets.
import { describe, expect, it } from 'vitest'
import { pickShell, terminalEnv } from '../../../../src-main/core/terminals/shell'

describe('terminalEnv', () => {
  it('drops MAKIMA_* and the OAuth token, sets TERM and PWD, keeps the rest', () => {
    const env = terminalEnv({ PATH: '/bin', HOME: '/h', MAKIMA_API_KEY: 'k', MAKIMA_DATA_DIR: '/d', CLAUDE_CODE_OAUTH_TOKEN: 't', TERM: 'dumb', EDITOR: 'vi', UNSET: undefined }, '/w')
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', EDITOR: 'vi', TERM: 'xterm-256color', COLORTERM: 'truecolor', TERM_PROGRAM: 'makima', PWD: '/w' })
  })
})

describe('pickShell', () => {
  it('takes $SHELL when executable, else falls back to /bin/bash then /bin/sh', async () => {
    expect(await pickShell({ SHELL: '/bin/sh' })).toBe('/bin/sh')
    expect(await pickShell({ SHELL: '/nonexistent/zsh' })).toBe('/bin/bash')
    expect(await pickShell({ SHELL: 'bash' })).toBe('/bin/bash') // relative: ignored
    expect(await pickShell({})).toBe('/bin/bash')
  })
})
