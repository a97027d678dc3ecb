// A pure parser for the unified diff text of `getTaskDiff`: either `git diff` output or `git log -p`
// output (commit headers between the files). Hunks are read by their line counts, so an indented
// commit message after a hunk is never mistaken for context lines.

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'binary'
export type FileChange = Exclude<FileStatus, 'binary'>

export interface DiffLine {
  kind: 'add' | 'del' | 'context' | 'note'
  /** The line as in the diff, prefix included ('+', '-', ' ' or '\'). */
  text: string
}

export interface DiffHunk {
  /** The `@@ -a,b +c,d @@ …` line. */
  header: string
  oldStart: number
  newStart: number
  lines: DiffLine[]
}

export interface DiffFile {
  /** The path after the change (before it for a deleted file). */
  path: string
  /** The path before a rename, else null. */
  oldPath: string | null
  /** 'binary' wins over the kind of change, which stays in `change`. */
  status: FileStatus
  change: FileChange
  binary: boolean
  added: number
  removed: number
  hunks: DiffHunk[]
}

export interface ParsedDiff {
  files: DiffFile[]
  added: number
  removed: number
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/

/** Undoes git's C-style quoting of unusual paths ("a/caf\303\251.txt"). */
export function unquotePath(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s
  const bytes: number[] = []
  const body = s.slice(1, -1)
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '"': 34, '\\': 92 }
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (c !== '\\') {
      bytes.push(...new TextEncoder().encode(c))
      continue
    }
    const next = body[i + 1] ?? ''
    const oct = /^[0-7]{3}/.exec(body.slice(i + 1))
    if (oct) {
      bytes.push(parseInt(oct[0], 8))
      i += 3
    } else if (next in simple) {
      bytes.push(simple[next]!)
      i += 1
    } else bytes.push(92)
  }
  return new TextDecoder().decode(new Uint8Array(bytes))
}

/** A path from a `---`/`+++` line or a header value, without its a/ or b/ prefix; null for /dev/null. */
function headerPath(raw: string): string | null {
  const p = unquotePath(raw.replace(/\t.*$/, '')) // a trailing tab marks a timestamp in some diffs
  if (p === '/dev/null') return null
  return /^[abciwo]\//.test(p) ? p.slice(2) : p
}

/** The two paths of a `diff --git a/X b/Y` line, a best guess when the paths hold spaces. */
function gitLinePaths(rest: string): { a: string; b: string } {
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*")$|^("(?:[^"\\]|\\.)*") (\S.*)$/.exec(rest)
  if (quoted) {
    const a = quoted[1] ?? quoted[3]!
    const b = quoted[2] ?? quoted[4]!
    return { a: headerPath(a) ?? a, b: headerPath(b) ?? b }
  }
  // Unquoted: the same path twice is the usual case ("a/p b/p").
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2
    const a = rest.slice(0, half)
    const b = rest.slice(half + 1)
    if (a.slice(2) === b.slice(2)) return { a: a.slice(2), b: b.slice(2) }
  }
  const at = rest.lastIndexOf(' b/')
  return at > 0 ? { a: rest.slice(2, at), b: rest.slice(at + 3) } : { a: rest, b: rest }
}

interface Building {
  file: DiffFile
  oldPath: string | null
  newPath: string | null
  renamed: boolean
}

function newFile(path: string): DiffFile {
  return { path, oldPath: null, status: 'modified', change: 'modified', binary: false, added: 0, removed: 0, hunks: [] }
}

function finish(b: Building): DiffFile {
  const f = b.file
  if (b.renamed && b.oldPath !== null && b.newPath !== null && b.oldPath !== b.newPath) {
    f.change = 'renamed'
    f.oldPath = b.oldPath
  }
  if (f.change === 'deleted') f.path = b.oldPath ?? f.path
  else f.path = b.newPath ?? f.path
  f.status = f.binary ? 'binary' : f.change
  return f
}

export function parseDiff(text: string): ParsedDiff {
  const files: DiffFile[] = []
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  let cur: Building | null = null
  let hunk: DiffHunk | null = null
  let oldLeft = 0
  let newLeft = 0
  let binaryPatch = false // inside `GIT binary patch` data, which runs to the next file
  const close = (): void => {
    if (cur) files.push(finish(cur))
    cur = null
    hunk = null
    binaryPatch = false
  }
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (hunk && cur && (oldLeft > 0 || newLeft > 0)) {
      const c = line[0]
      const f: DiffFile = (cur as Building).file
      if (c === '+' && newLeft > 0) {
        hunk.lines.push({ kind: 'add', text: line })
        f.added++
        newLeft--
        continue
      }
      if (c === '-' && oldLeft > 0) {
        hunk.lines.push({ kind: 'del', text: line })
        f.removed++
        oldLeft--
        continue
      }
      if ((c === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
        hunk.lines.push({ kind: 'context', text: line })
        oldLeft--
        newLeft--
        continue
      }
      if (c === '\\') {
        hunk.lines.push({ kind: 'note', text: line })
        continue
      }
      // A malformed count: fall through and read the line as a header.
      oldLeft = newLeft = 0
    }
    if (line.startsWith('diff --git ')) {
      close()
      const { a, b } = gitLinePaths(line.slice('diff --git '.length))
      cur = { file: newFile(b), oldPath: a, newPath: b, renamed: false }
      continue
    }
    if (!cur || binaryPatch) continue
    const b: Building = cur
    if (line.startsWith('\\') && hunk) {
      ;(hunk as DiffHunk).lines.push({ kind: 'note', text: line })
      continue
    }
    const h = HUNK.exec(line)
    if (h) {
      hunk = { header: line, oldStart: Number(h[1]), newStart: Number(h[3]), lines: [] }
      b.file.hunks.push(hunk)
      oldLeft = h[2] === undefined ? 1 : Number(h[2])
      newLeft = h[4] === undefined ? 1 : Number(h[4])
      continue
    }
    if (hunk) {
      // After a file's last hunk (e.g. a commit header in `git log -p`): not part of any file.
      close()
      continue
    }
    if (line.startsWith('new file mode')) b.file.change = 'added'
    else if (line.startsWith('deleted file mode')) b.file.change = 'deleted'
    else if (line.startsWith('rename from ')) {
      b.oldPath = unquotePath(line.slice('rename from '.length))
      b.renamed = true
    } else if (line.startsWith('rename to ')) {
      b.newPath = unquotePath(line.slice('rename to '.length))
      b.renamed = true
    } else if (line.startsWith('--- ')) {
      const p = headerPath(line.slice(4))
      if (p === null) b.file.change = 'added'
      else b.oldPath = p
    } else if (line.startsWith('+++ ')) {
      const p = headerPath(line.slice(4))
      if (p === null) b.file.change = 'deleted'
      else b.newPath = p
    } else if (line === 'GIT binary patch') {
      b.file.binary = binaryPatch = true
    } else if (line.startsWith('Binary files ')) {
      b.file.binary = true
      const m = /^Binary files (.+) and (.+) differ$/.exec(line)
      if (m?.[1] === '/dev/null') b.file.change = 'added'
      else if (m?.[2] === '/dev/null') b.file.change = 'deleted'
    } else if (!/^(index |old mode |new mode |similarity index |dissimilarity index |copy from |copy to )/.test(line)) {
      close() // Not a file header line: the file (header only, e.g. a mode change) ended.
    }
  }
  close()
  return { files, added: files.reduce((n, f) => n + f.added, 0), removed: files.reduce((n, f) => n + f.removed, 0) }
}

/** "3 files changed, +12 −4", counting each path once (`git log -p` can show a file per commit). */
export function summarize(d: ParsedDiff): string {
  const n = new Set(d.files.map((f) => f.path)).size
  return `${n} ${n === 1 ? 'file' : 'files'} changed, +${d.added} \u2212${d.removed}`
}

/** The lines a file section would show, to decide whether it starts collapsed. */
export function fileLineCount(f: DiffFile): number {
  return f.hunks.reduce((n, h) => n + 1 + h.lines.length, 0)
}
