// Ending a terminal's shell and everything it started. The shell is an interactive session leader
// with jobs in process groups of their own (job control), so one group signal does not reach them;
// the /proc tree (ppid links, kept by pid + start time once seen) does. SIGHUP first — what a
// closing terminal means, and what an interactive shell honours (it ignores SIGTERM) — then
// SIGKILL for whatever is still alive after the grace period.
import { isForbiddenTarget, TreeTracker } from '../agents/process-group'
import { readProcTable } from '../agents/process-tree'

const signal = (pid: number, sig: NodeJS.Signals): void => {
  if (isForbiddenTarget(Math.abs(pid))) return // never init, "everyone" (-1), our group (0) or ourselves
  try {
    process.kill(pid, sig)
  } catch {
    // gone already, or not ours
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export interface HangUpResult {
  gone: boolean
  killed: boolean
}

export interface HangUpOptions {
  pollMs?: number
  /** The shell's /proc start time: a pid that is another process now (recycled) is left alone. */
  rootStart?: string
}

export async function hangUpTree(root: number, graceMs: number, opts: HangUpOptions = {}): Promise<HangUpResult> {
  const pollMs = opts.pollMs ?? 25
  const first = await readProcTable()
  if (!first) {
    // No /proc: the shell's group and the shell are what can be reached.
    for (const sig of ['SIGHUP', 'SIGCONT'] as const) signal(-root, sig)
    await sleep(graceMs)
    signal(-root, 'SIGKILL')
    signal(root, 'SIGKILL')
    return { gone: true, killed: true }
  }
  // Every pid seen once is kept (by start time) as its parents exit; the root's own group
  // (pgid = its pid) belongs to it even after re-parenting, unless the root's pid is another process now.
  const tracker = new TreeTracker(root, first, opts.rootStart)
  let live = tracker.update(first)
  const hit = (pids: number[], sig: NodeJS.Signals, seen: Set<number>) => {
    for (const p of pids) {
      if (seen.has(p)) continue
      seen.add(p)
      signal(p, sig)
      if (sig === 'SIGHUP') signal(p, 'SIGCONT') // a stopped job must run to act on it
    }
  }
  const settle = async (until: number, sig: NodeJS.Signals, seen: Set<number>) => {
    while (live.length > 0 && Date.now() < until) {
      await sleep(pollMs)
      const table = await readProcTable()
      live = table ? tracker.update(table) : []
      hit(live, sig, seen) // children started meanwhile get the same signal
    }
  }
  if (live.length === 0) return { gone: true, killed: false }
  const hupped = new Set<number>()
  hit(live, 'SIGHUP', hupped)
  await settle(Date.now() + graceMs, 'SIGHUP', hupped)
  if (live.length === 0) return { gone: true, killed: false }
  const killed = new Set<number>()
  hit(live, 'SIGKILL', killed)
  await settle(Date.now() + 5_000, 'SIGKILL', killed)
  return { gone: live.length === 0, killed: true }
}
