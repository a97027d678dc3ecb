import { describe, expect, it } from 'vitest'
import { commaList, parseArgs, secondsArg, UsageError } from '../../../src-main/cli/args'

describe('makima CLI argument parsing', () => {
  it('positionals, --flag value, --flag=value and switches in any order', () => {
    const a = parseArgs(['T1', '--to', 'makima/x', '--squash', 'extra', '--base=main'], { values: ['to', 'base'], switches: ['squash'] })
    expect(a.positionals).toEqual(['T1', 'extra'])
    expect(Object.fromEntries(a.flags)).toEqual({ to: 'makima/x', base: 'main' })
    expect([...a.switches]).toEqual(['squash'])
  })

  it('values are taken verbatim, including ones that look like flags after --', () => {
    const a = parseArgs(['--title', '--not-a-flag', '--', '--literal', '$(x)'], { values: ['title'] })
    expect(a.flags.get('title')).toBe('--not-a-flag')
    expect(a.positionals).toEqual(['--literal', '$(x)'])
    expect(parseArgs(['-'], {}).positionals).toEqual(['-'])
  })

  it('unknown flags, missing values and values on switches are usage errors', () => {
    expect(() => parseArgs(['--nope'], { values: ['to'] })).toThrow(/unknown option --nope \(known: --to\)/)
    expect(() => parseArgs(['--to'], { values: ['to'] })).toThrow(UsageError)
    expect(() => parseArgs(['--squash=yes'], { switches: ['squash'] })).toThrow(/takes no value/)
  })

  it('comma lists are split and trimmed like the original --choices', () => {
    expect(commaList(' Yes, No ,,Need more changes ')).toEqual(['Yes', 'No', 'Need more changes'])
    expect(commaList(undefined)).toBeUndefined()
  })

  it('seconds', () => {
    expect(secondsArg(undefined, 't', 300)).toBe(300)
    expect(secondsArg('2.5', 't', 300)).toBe(2.5)
    expect(() => secondsArg('-1', 'timeout', 1)).toThrow(/timeout must be a number of seconds/)
    expect(() => secondsArg('soon', 'timeout', 1)).toThrow(UsageError)
  })
})
