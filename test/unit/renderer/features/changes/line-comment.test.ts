// Line numbers of a clicked diff line, and the follow-up message a line comment becomes.
import { describe, expect, it } from 'vitest'
import { commentMessage, lineRef, numberLines } from '../../../../../src-renderer/src/features/changes/line-comment'

const hunk = {
  header: '@@ -10,3 +10,4 @@',
  oldStart: 10,
  newStart: 10,
  lines: [
    { kind: 'context' as const, text: ' keep' },
    { kind: 'del' as const, text: '-old' },
    { kind: 'add' as const, text: '+new' },
    { kind: 'add' as const, text: '+more' },
    { kind: 'context' as const, text: ' tail' },
    { kind: 'note' as const, text: '\\ No newline at end of file' },
  ],
}

describe('line comments', () => {
  it('numbers each line on the side it exists on', () => {
    expect(numberLines(hunk).map((l) => [l.old, l.new])).toEqual([[10, 10], [11, null], [null, 11], [null, 12], [12, 13], [null, null]])
  })

  it('refers to the new file, a removed line to the old one, and a note to nothing', () => {
    const ls = numberLines(hunk)
    expect(lineRef('a.ts', ls[3]!)).toEqual({ path: 'a.ts', line: 12, side: 'new', text: '+more' })
    expect(lineRef('a.ts', ls[1]!)).toEqual({ path: 'a.ts', line: 11, side: 'old', text: '-old' })
    expect(lineRef('a.ts', ls[5]!)).toBeNull()
  })

  it('carries file:line, the quoted line and the comment; a huge line is cut', () => {
    const msg = commentMessage({ path: 'src/a.ts', line: 12, side: 'new', text: '+more' }, '  rename this  ')
    expect(msg).toBe('Review comment on src/a.ts:12\n> +more\n\nrename this')
    const long = commentMessage({ path: 'b', line: 1, side: 'old', text: 'x'.repeat(5000) }, 'c')
    expect(long.length).toBeLessThan(700)
    expect(long).toContain('b:1 (a line removed')
    expect(commentMessage({ path: 'a', line: 3, side: 'new', text: '+x' }, 'c', 'abcdef0123456789')).toMatch(/^Review comment on a:3 as of commit abcdef0\n/)
  })
})
