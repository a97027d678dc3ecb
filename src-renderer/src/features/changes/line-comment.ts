// "Comment on this line": which line of which file a click in the diff stands for, and the
// follow-up message that carries it to the agent.
import type { DiffHunk } from '../tasks/diff-parse'

export interface LineRef {
  path: string
  /** The line in the new file; for a removed line, its number in the old file. */
  line: number
  side: 'new' | 'old'
  /** The diff line as shown, prefix included. */
  text: string
}

export interface NumberedLine {
  kind: 'add' | 'del' | 'context' | 'note'
  text: string
  /** Number in the old / new file (null where the line does not exist on that side). */
  old: number | null
  new: number | null
}

export function numberLines(h: DiffHunk): NumberedLine[] {
  let o = h.oldStart
  let n = h.newStart
  return h.lines.map((l) => {
    switch (l.kind) {
      case 'context':
        return { ...l, old: o++, new: n++ }
      case 'add':
        return { ...l, old: null, new: n++ }
      case 'del':
        return { ...l, old: o++, new: null }
      case 'note':
        return { ...l, old: null, new: null }
    }
  })
}

export function lineRef(path: string, l: NumberedLine): LineRef | null {
  if (l.new !== null) return { path, line: l.new, side: 'new', text: l.text }
  if (l.old !== null) return { path, line: l.old, side: 'old', text: l.text }
  return null
}

/** Longest quoted line; a minified file must not turn a comment into a megabyte message. */
const MAX_QUOTE = 500

/** `commit`: the line was picked in one commit's diff, so its number is as of that commit. */
export function commentMessage(ref: LineRef, comment: string, commit?: string): string {
  const asOf = commit ? ` as of commit ${commit.slice(0, 7)}` : ''
  const where = ref.side === 'new' ? `${ref.path}:${ref.line}${asOf}` : `${ref.path}:${ref.line} (a line removed; its number in the old file${asOf})`
  const quote = ref.text.length > MAX_QUOTE ? `${ref.text.slice(0, MAX_QUOTE)}…` : ref.text
  return `Review comment on ${where}\n> ${quote}\n\n${comment.trim()}`
}
