// Signals to a whole process group. Agents run in their own group (spawned detached), so their
// tools' children (Bash, servers, sleep) are paused, resumed and stopped with them.
import { readdir, readFile } from 'node:fs/promises'

export type GroupSignal = 'SIGSTOP' | 'SIGCONT' | 'SIGTERM' | 'SIGKILL'

/** Sends a signal to the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: GroupSignal): boolean {
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

/** Drops keys whose value is undefined, so `{ ...defaults, ...defined(opts) }` keeps the defaults. */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
