import { describe, expect, it } from 'vitest'
import { fileLineCount, parseDiff, summarize, unquotePath } from '../../../../../src-renderer/src/features/tasks/diff-parse'

const lines = (...ls: string[]) => ls.join('\n') + '\n'

const MODIFIED = lines(
  'diff --git a/src/app.ts b/src/app.ts',
  'index 1111111..2222222 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,3 +1,4 @@',
  ' one',
  '-two',
  '+TWO',
  '+two and a half',
  ' three',
  '@@ -20,2 +21,2 @@ function tail() {',
  ' keep',
  '-old end',
  '\\ No newline at end of file',
  '+new end',
  '\\ No newline at end of file',
)

const ADDED = lines(
  'diff --git a/greeting.txt b/greeting.txt',
  'new file mode 100644',
  'index 0000000..3333333',
  '--- /dev/null',
  '+++ b/greeting.txt',
  '@@ -0,0 +1 @@',
  '+hello from the agent',
)

const DELETED = lines(
  'diff --git a/old.txt b/old.txt',
  'deleted file mode 100644',
  'index 4444444..0000000',
  '--- a/old.txt',
  '+++ /dev/null',
  '@@ -1,2 +0,0 @@',
  '-first',
  '-second',
)

const RENAMED = lines(
  'diff --git a/docs/a.md b/docs/b.md',
  'similarity index 80%',
  'rename from docs/a.md',
  'rename to docs/b.md',
  'index 5555555..6666666 100644',
  '--- a/docs/a.md',
  '+++ b/docs/b.md',
  '@@ -1 +1 @@',
  '-title',
  '+Title',
)

const PURE_RENAME = lines('diff --git a/x y.txt b/z w.txt', 'similarity index 100%', 'rename from x y.txt', 'rename to z w.txt')

const BINARY = lines('diff --git a/logo.png b/logo.png', 'new file mode 100644', 'index 0000000..7777777', 'Binary files /dev/null and b/logo.png differ')
const BINARY_CHANGED = lines('diff --git a/data.bin b/data.bin', 'index 8888888..9999999 100644', 'Binary files a/data.bin and b/data.bin differ')

describe('parseDiff', () => {
  it('reads a modified file with two hunks, and keeps "No newline" notes out of the counts', () => {
    const d = parseDiff(MODIFIED)
    expect(d.files).toHaveLength(1)
    const [f] = d.files
    expect(f).toMatchObject({ path: 'src/app.ts', oldPath: null, status: 'modified', binary: false, added: 3, removed: 2 })
    expect(f!.hunks.map((h) => [h.oldStart, h.newStart, h.lines.length])).toEqual([
      [1, 1, 5],
      [20, 21, 5],
    ])
    expect(f!.hunks[1]!.header).toBe('@@ -20,2 +21,2 @@ function tail() {')
    expect(f!.hunks[1]!.lines.map((l) => l.kind)).toEqual(['context', 'del', 'note', 'add', 'note'])
    expect(f!.hunks[0]!.lines[2]).toEqual({ kind: 'add', text: '+TWO' })
    expect(fileLineCount(f!)).toBe(12)
  })

  it('reads added, deleted, renamed and binary files in one diff, and sums them', () => {
    const d = parseDiff(MODIFIED + ADDED + DELETED + RENAMED + PURE_RENAME + BINARY + BINARY_CHANGED)
    expect(d.files.map((f) => [f.path, f.status, f.added, f.removed])).toEqual([
      ['src/app.ts', 'modified', 3, 2],
      ['greeting.txt', 'added', 1, 0],
      ['old.txt', 'deleted', 0, 2],
      ['docs/b.md', 'renamed', 1, 1],
      ['z w.txt', 'renamed', 0, 0],
      ['logo.png', 'binary', 0, 0],
      ['data.bin', 'binary', 0, 0],
    ])
    expect(d.files[3]!.oldPath).toBe('docs/a.md')
    expect(d.files[4]!.oldPath).toBe('x y.txt')
    expect(d.files[5]).toMatchObject({ binary: true, change: 'added', hunks: [] })
    expect(d.files[6]).toMatchObject({ binary: true, change: 'modified' })
    expect(d.files[1]!.hunks[0]!.lines).toEqual([{ kind: 'add', text: '+hello from the agent' }])
    expect([d.added, d.removed]).toEqual([5, 5])
    expect(summarize(d)).toBe('7 files changed, +5 \u22125')
  })

  it('reads `git log -p` output: commit headers (with indented messages) are not context lines', () => {
    const log = lines('commit abc', 'Author: A <a@x>', 'Date:   now', '', '    first change', '') +
      ADDED.replace(/\n$/, '') + '\n' +
      lines('', 'commit def', 'Author: A <a@x>', '', '    second change', '    more text', '') +
      lines('diff --git a/greeting.txt b/greeting.txt', 'index 3333333..aaaaaaa 100644', '--- a/greeting.txt', '+++ b/greeting.txt', '@@ -1 +1,2 @@', ' hello from the agent', '+and more')
    const d = parseDiff(log)
    expect(d.files.map((f) => [f.path, f.status, f.added, f.removed, f.hunks[0]!.lines.length])).toEqual([
      ['greeting.txt', 'added', 1, 0, 1],
      ['greeting.txt', 'modified', 1, 0, 2],
    ])
    expect(summarize(d)).toBe('1 file changed, +2 \u22120')
  })

  it('skips `GIT binary patch` data and reads the next file', () => {
    const d = parseDiff(
      lines('diff --git a/b.bin b/b.bin', 'new file mode 100644', 'index 0000000..1234567', 'GIT binary patch', 'literal 5', 'McmZQzWMT#Y01@B-0RR91', '', 'literal 0', 'HcmV?d00001', '') + ADDED,
    )
    expect(d.files.map((f) => [f.path, f.status])).toEqual([
      ['b.bin', 'binary'],
      ['greeting.txt', 'added'],
    ])
  })

  it('keeps header-only changes (mode) and unquotes unusual paths', () => {
    const d = parseDiff(
      lines('diff --git a/run.sh b/run.sh', 'old mode 100644', 'new mode 100755') +
        lines('diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"', 'new file mode 100644', 'index 0000000..1111111', '--- /dev/null', '+++ "b/caf\\303\\251.txt"', '@@ -0,0 +1 @@', '+x'),
    )
    expect(d.files.map((f) => [f.path, f.status, f.hunks.length])).toEqual([
      ['run.sh', 'modified', 0],
      ['café.txt', 'added', 1],
    ])
    expect(unquotePath('"tab\\there \\"q\\""')).toBe('tab\there "q"')
  })

  it('reads an empty diff as no files', () => {
    expect(parseDiff('')).toEqual({ files: [], added: 0, removed: 0 })
    expect(summarize(parseDiff(''))).toBe('0 files changed, +0 \u22120')
  })
})
