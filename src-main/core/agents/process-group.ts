// Signals to an agent and everything it started. Agents run in their own group (spawned detached),
// but Claude Code starts each Bash tool in a session of its own (setsid), out of that group; so on
// Linux pause/resume/terminate walk the process tree (/proc, ppid links) as well, and fall back to
// the group alone where /proc is unavailable.
import { readFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { procPoller, type ProcPoller } from './proc-poller'
import { descendants, isLiveState, readProcTable, type ProcTable } from './process-tree'

export type GroupSignal = 'SIGSTOP' | 'SIGCONT' | 'SIGTERM' | 'SIGKILL'

/**
 * Never a target: 0 and -1 mean "our own group" and "every process we may signal", 1 is init, our
 * own pid (as a pid, or as the group we may lead) is the core itself, and our group and our
 * ancestors are whoever started us (a shell, a test runner): a stale pid or pgid read back from
 * the store that now names one of them must not take the core and its launcher down with it.
 */
export const isForbiddenTarget = (id: number): boolean => !Number.isInteger(id) || id <= 1 || id === process.pid || ownLineage().has(id)

let lineage: Set<number> | undefined

/** Our process group and every ancestor, read once from /proc (empty where there is no /proc). */
export function ownLineage(): ReadonlySet<number> {
  if (lineage) return lineage
  lineage = new Set()
  try {
    const self = parseOwnStat(readFileSync('/proc/self/stat', 'utf8'))
    lineage.add(self.pgid)
    for (let pid = self.ppid, hops = 0; pid > 1 && hops < 64; hops++) {
      lineage.add(pid)
      pid = parseOwnStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).ppid
    }
  } catch {
    // no /proc, or an ancestor exited meanwhile: what was read so far stays forbidden
  }
  lineage.delete(process.pid)
  return lineage
}

function parseOwnStat(stat: string): { ppid: number; pgid: number } {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { ppid: Number(f[1]), pgid: Number(f[2]) }
}

/** Sends a signal to the group; false when the group no longer exists (or is not one we may signal). */
export function signalGroup(pgid: number, signal: GroupSignal): boolean {
  if (isForbiddenTarget(pgid)) return false
  try {
    process.kill(-pgid, signal)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw err
  }
}

/** True while at least one process of the group is alive (zombies count until reaped). */
export function groupAlive(pgid: number): boolean {
  if (isForbiddenTarget(pgid)) return false
  try {
    process.kill(-pgid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
}

/**
 * Live (non-zombie) members of a group, from /proc (Linux). Undefined where /proc is unavailable.
 * Zombies are left out: an orphan is reaped by init, which some containers do late or never.
 */
export async function liveGroupMembers(pgid: number): Promise<number[] | undefined> {
  let entries: string[]
  try {
    entries = await readdir('/proc')
  } catch {
    return undefined
  }
  const out: number[] = []
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue
    let stat: string
    try {
      stat = await readFile(`/proc/${e}/stat`, 'utf8')
    } catch {
      continue // exited meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parens, so parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') out.push(Number(e))
  }
  return out
}

/** Resolves true once the group is gone (or only zombies remain), false if still alive after timeoutMs. */
export function waitGroupGone(pgid: number, timeoutMs: number, pollMs = 25): Promise<boolean> {
  return new Promise((resolve) => {
    const started = Date.now()
    let polls = 0
    const tick = async () => {
      if (!groupAlive(pgid)) return resolve(true)
      // Orphaned zombies keep the group "alive" until init reaps them; /proc tells them apart.
      if (polls++ % 4 === 3 || Date.now() - started >= timeoutMs) {
        const live = await liveGroupMembers(pgid)
        if (live !== undefined && live.length === 0) return resolve(true)
      }
      if (Date.now() - started >= timeoutMs) return resolve(false)
      setTimeout(() => void tick(), pollMs)
    }
    void tick()
  })
}

/**
 * SIGTERM to the group (plus SIGCONT so stopped members can act on it), SIGKILL to whatever is
 * left after graceMs; resolves when the group is gone (or reports that it could not be ended).
 */
export async function terminateGroup(pgid: number, graceMs: number): Promise<{ gone: boolean; killed: boolean }> {
  if (!signalGroup(pgid, 'SIGTERM')) return { gone: true, killed: false }
  signalGroup(pgid, 'SIGCONT')
  if (await waitGroupGone(pgid, graceMs)) return { gone: true, killed: false }
  signalGroup(pgid, 'SIGKILL')
  return { gone: await waitGroupGone(pgid, 5_000), killed: true }
}

/** Sends a signal to one process; false when it is gone (or not ours to signal). */
export function signalPid(pid: number, signal: GroupSignal): boolean {
  if (isForbiddenTarget(pid)) return false
  try {
    process.kill(pid, signal)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ESRCH' || code === 'EPERM') return false
    throw err
  }
}

/** pid → start time of the processes a pause stopped (so resume can find them again). */
export type StoppedSet = Map<number, string>

/** Where the root is and what it must be: `rootStart` (the /proc start time) tells a recycled pid apart. */
export interface TreeRoot {
  rootStart?: string
}

/**
 * Stops the root, its group and every descendant, parents first so none can start more children
 * unseen; rescans until a pass finds nothing new and every stopped process shows state T (a signal
 * is delivered asynchronously), within confirmMs. Undefined when only the group could be reached.
 * A root whose start time does not match `rootStart` is another process: nothing is signalled.
 */
export async function stopTree(root: number, opts: TreeRoot & { confirmMs?: number } = {}): Promise<StoppedSet | undefined> {
  const r = (await readProcTable())?.get(root)
  if (r !== undefined && opts.rootStart !== undefined && r.start !== opts.rootStart) return new Map()
  signalGroup(root, 'SIGSTOP') // one atomic stop for the agent and the tools in its group
  const stopped: StoppedSet = new Map()
  const deadline = Date.now() + (opts.confirmMs ?? 1_000)
  for (;;) {
    const table = await readProcTable()
    if (!table) return undefined
    const fresh = descendants(table, [root]).filter((p) => !stopped.has(p) && isLiveState(table.get(p)!.state))
    for (const p of fresh) if (signalPid(p, 'SIGSTOP')) stopped.set(p, table.get(p)!.start)
    const unconfirmed = [...stopped].some(([pid, start]) => {
      const e = table.get(pid)
      return e !== undefined && e.start === start && isLiveState(e.state) && e.state !== 'T' && e.state !== 't'
    })
    if ((fresh.length === 0 && !unconfirmed) || Date.now() >= deadline) break
    if (fresh.length === 0) await new Promise((r) => setTimeout(r, 5))
  }
  return stopped
}

/**
 * Continues the tree children first (and whatever the pause stopped that has since moved, matched
 * by start time), then the group. A root that is another process now is neither walked nor signalled.
 */
export async function continueTree(root: number, stopped?: StoppedSet, opts: TreeRoot = {}): Promise<void> {
  const table = await readProcTable()
  const r = table?.get(root)
  const ours = opts.rootStart === undefined || r === undefined || r.start === opts.rootStart
  if (table) {
    const order = ours ? descendants(table, [root]) : []
    const inTree = new Set(order)
    for (const [pid, start] of stopped ?? []) if (!inTree.has(pid) && table.get(pid)?.start === start) order.push(pid)
    for (const p of order.reverse()) signalPid(p, 'SIGCONT')
  }
  if (ours) signalGroup(root, 'SIGCONT')
}

/**
 * Follows a tree while it is ended. Once a parent exits, its children are re-parented (to init or
 * a subreaper) and can no longer be found from the root, so every pid seen once is kept, checked
 * against its start time so a recycled pid is never taken for it. The root's group (pgid = root)
 * is taken in only while it can be the root's: not when the root's pid is now another process.
 */
export class TreeTracker {
  private readonly known = new Map<number, string>()
  /** Whether members of the group `root` belong to the root. */
  private readonly groupIsOurs: boolean
  /** Group members older than the root cannot have joined its group. */
  private readonly minStart: number | undefined

  constructor(private readonly root: number, first: ProcTable, rootStart?: string) {
    const r = first.get(root)
    if (r !== undefined && rootStart !== undefined && r.start !== rootStart) {
      this.groupIsOurs = false // the pid was recycled: neither it nor a group it leads is ours
    } else {
      if (r && isLiveState(r.state)) this.known.set(root, r.start)
      // A pid that is a live group id is never reused, so while the group lives it is the root's.
      this.groupIsOurs = true
    }
    this.minStart = rootStart === undefined ? undefined : Number(rootStart)
  }

  /** Takes in what is new in this snapshot; returns the tracked processes still alive, parents first. */
  update(table: ProcTable): number[] {
    const valid = (pid: number) => table.get(pid)?.start === this.known.get(pid)
    const anchors = [...this.known.keys()].filter(valid)
    for (const p of descendants(table, anchors)) if (!this.known.has(p)) this.known.set(p, table.get(p)!.start)
    if (this.groupIsOurs) {
      for (const e of table.values()) {
        if (e.pgid !== this.root || this.known.has(e.pid)) continue
        if (this.minStart !== undefined && Number(e.start) < this.minStart) continue
        this.known.set(e.pid, e.start)
      }
    }
    return [...this.known.keys()].filter((p) => !isForbiddenTarget(p) && valid(p) && isLiveState(table.get(p)!.state))
  }
}

export interface TerminateResult {
  /** Nothing of the tree is left alive. */
  gone: boolean
  /** SIGKILL was needed. */
  killed: boolean
}

/**
 * SIGTERM (then SIGCONT, so stopped processes can act on it) to the root, its group and every
 * descendant, SIGKILL to whatever is left after graceMs; resolves once none is left (or reports
 * that some could not be ended). `rootStart` (the /proc start time) guards against a recycled pid.
 */
export async function terminateTree(
  root: number, graceMs: number, opts: { rootStart?: string; pollMs?: number; poller?: ProcPoller } = {},
): Promise<TerminateResult> {
  // Every tree being ended at once shares one /proc scan per poll (proc-poller.ts).
  const poller = opts.poller ?? procPoller
  const first = await poller.next(0)
  if (!first) return terminateGroup(root, graceMs)
  const pollMs = opts.pollMs ?? 40
  const tracker = new TreeTracker(root, first, opts.rootStart)
  const signalled = new Set<number>()
  const hit = (pids: number[], signal: 'SIGTERM' | 'SIGKILL') => {
    const fresh = pids.filter((p) => !signalled.has(p))
    for (const p of fresh) {
      signalled.add(p)
      signalPid(p, signal)
    }
    if (signal === 'SIGTERM') for (const p of fresh) signalPid(p, 'SIGCONT')
  }
  let live = tracker.update(first)
  if (live.length === 0) return { gone: true, killed: false }
  hit(live, 'SIGTERM')
  const settle = async (until: number, signal: 'SIGTERM' | 'SIGKILL') => {
    while (live.length > 0 && Date.now() < until) {
      const table = await poller.next(pollMs)
      live = table ? tracker.update(table) : []
      hit(live, signal) // children started meanwhile get the same signal
    }
  }
  await settle(Date.now() + graceMs, 'SIGTERM')
  if (live.length === 0) return { gone: true, killed: false }
  signalled.clear()
  hit(live, 'SIGKILL')
  await settle(Date.now() + 5_000, 'SIGKILL')
  return { gone: live.length === 0, killed: true }
}

/** Drops keys whose value is undefined, so `{ ...defaults, ...defined(opts) }` keeps the defaults. */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
