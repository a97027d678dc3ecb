// Ending a terminal's shell and everything it started. The shell is an interactive session leader
// with jobs in process groups of their own (job control), so one group signal does not reach them;
// the /proc tree (ppid links, kept by pid + start time once seen) does. SIGHUP first — what a
// closing terminal means, and what an interactive shell honours (it ignores SIGTERM) — then
// SIGKILL for whatever is still alive after the grace period.
import { descendants, isLiveState, readProcTable, type ProcTable } from '../agents/process-tree'

const signal = (pid: number, sig: NodeJS.Signals): void => {
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

export async function hangUpTree(root: number, graceMs: number, pollMs = 25): Promise<HangUpResult> {
  const known = new Map<number, string>()
  const track = (table: ProcTable): number[] => {
    const anchors = [...known.keys()].filter((p) => table.get(p)?.start === known.get(p))
    if (known.size === 0) anchors.push(root)
    for (const p of descendants(table, anchors)) if (!known.has(p)) known.set(p, table.get(p)!.start)
    // The root's own group (pgid = its pid) belongs to it even after re-parenting.
    for (const e of table.values()) if (e.pgid === root && !known.has(e.pid)) known.set(e.pid, e.start)
    return [...known.keys()].filter((p) => table.get(p)?.start === known.get(p) && isLiveState(table.get(p)!.state))
  }
  const first = await readProcTable()
  if (!first) {
    // No /proc: the shell's group and the shell are what can be reached.
    for (const sig of ['SIGHUP', 'SIGCONT'] as const) signal(-root, sig)
    await sleep(graceMs)
    signal(-root, 'SIGKILL')
    signal(root, 'SIGKILL')
    return { gone: true, killed: true }
  }
  let live = track(first)
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
      live = table ? track(table) : []
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
