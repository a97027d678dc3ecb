// Electron's argv mixes our flags with Chromium's switches: ours are kept (and validated later),
// the host's pass through.
import { describe, expect, it } from 'vitest'
import { parseFlags, splitHostSwitches } from '../../../../src-main/core/config/flags'

describe('splitHostSwitches', () => {
  it('keeps our flags with their values and passes unknown long switches to the host', () => {
    const argv = ['--no-sandbox', '-m', '3', '--data-dir', '/d', '--enable-logging', '--web-port=0', '--ozone-platform=wayland', '--daemon', '-k', 'key', 'positional']
    expect(splitHostSwitches(argv)).toEqual({
      ours: ['-m', '3', '--data-dir', '/d', '--web-port=0', '--daemon', '-k', 'key', 'positional'],
      host: ['--no-sandbox', '--enable-logging', '--ozone-platform=wayland'],
    })
    expect(parseFlags(splitHostSwitches(argv).ours)).toMatchObject({ daemon: true, values: { 'max-tasks': '3', 'data-dir': '/d', 'web-port': '0', 'api-key': 'key' } })
  })

  it('everything after -- is ours, and our own bad values still fail', () => {
    expect(splitHostSwitches(['--x', '--', '--no-sandbox'])).toEqual({ ours: ['--', '--no-sandbox'], host: ['--x'] })
    expect(() => parseFlags(splitHostSwitches(['--no-sandbox', '-z']).ours)).toThrow(/Unknown option '-z'/)
  })
})
