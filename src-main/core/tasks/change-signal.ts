// Tells views that a task's worktree changed, coalesced: an agent may run dozens of tools a second,
// and each signal makes a view re-read the diff, so touches are debounced per task (fired once the
// agent has been quiet for `quietMs`, and at least every `maxWaitMs` while it keeps going). No git
// runs here; the signal only says "read again".
export interface ChangeSignalOptions {
  quietMs?: number
  maxWaitMs?: number
  /** Tasks with a pending signal at once; past it a touch fires at once instead of waiting. */
  maxPending?: number
}

interface Pending {
  timer: ReturnType<typeof setTimeout>
  firstAt: number
}

export class ChangeSignal {
  private readonly pending = new Map<string, Pending>()
  private readonly quietMs: number
  private readonly maxWaitMs: number
  private readonly maxPending: number

  constructor(
    private readonly fire: (taskId: string) => void,
    opts: ChangeSignalOptions = {},
  ) {
    this.quietMs = opts.quietMs ?? 1_000
    this.maxWaitMs = opts.maxWaitMs ?? 3_000
    this.maxPending = opts.maxPending ?? 1_024
  }

  /** Something changed; the signal goes out after a quiet spell (or the longest wait). */
  touch(taskId: string): void {
    const now = Date.now()
    const p = this.pending.get(taskId)
    if (!p && this.pending.size >= this.maxPending) return this.fire(taskId)
    const firstAt = p?.firstAt ?? now
    if (p) clearTimeout(p.timer)
    const wait = Math.max(0, Math.min(this.quietMs, firstAt + this.maxWaitMs - now))
    const timer = setTimeout(() => this.flush(taskId), wait)
    timer.unref?.()
    this.pending.set(taskId, { timer, firstAt })
  }

  /** Signal now (the task ended, a merge finished), dropping any pending one. */
  flush(taskId: string): void {
    const p = this.pending.get(taskId)
    if (p) clearTimeout(p.timer)
    this.pending.delete(taskId)
    this.fire(taskId)
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer)
    this.pending.clear()
  }
}

/** Tools that only read (Claude, Gemini, Codex names): their results change nothing on disk. */
const READ_ONLY_TOOLS = new Set([
  'Read', 'Grep', 'Glob', 'LS', 'WebFetch', 'WebSearch', 'TodoWrite', 'NotebookRead', 'ListMcpResourcesTool', 'ReadMcpResourceTool',
  'read_file', 'read_many_files', 'list_directory', 'glob', 'search_file_content', 'google_web_search', 'web_fetch', 'web_search',
])

/** Calls of read-only tools remembered at once (their results usually follow within a turn). */
const MAX_READ_CALLS = 1_024

/**
 * Which agent events may have changed the worktree: a file change, or the result of a tool that
 * is not known to only read. One per agent run.
 */
export class WorktreeTouches {
  private readonly readCalls = new Set<string>()

  touches(ev: { kind: string; callId?: string; name?: string }): boolean {
    if (ev.kind === 'file_change') return true
    if (ev.kind === 'tool_call' && ev.callId && ev.name && READ_ONLY_TOOLS.has(ev.name)) {
      if (this.readCalls.size >= MAX_READ_CALLS) this.readCalls.delete(this.readCalls.values().next().value!)
      this.readCalls.add(ev.callId)
      return false
    }
    if (ev.kind === 'tool_result') return !(ev.callId && this.readCalls.delete(ev.callId))
    return false
  }
}
