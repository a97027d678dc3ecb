// The process tree under an agent, read from /proc (Linux). Claude Code starts each Bash tool in a
// session of its own (setsid), so the agent's process group does not hold its tools; the parent
// links (ppid) do, for as long as the parents live. Everything here is async and read-only.
import { readdir, readFile } from 'node:fs/promises'

export interface ProcEntry {
  pid: number
  ppid: number
  pgid: number
  /** One letter: R, S, D, T (stopped), t, Z (zombie), X, … */
  state: string
  /** starttime from /proc/<pid>/stat (clock ticks since boot): tells a recycled pid apart. */
  start: string
}

export type ProcTable = Map<number, ProcEntry>

/** Parses one /proc/<pid>/stat; undefined when malformed. */
export function parseStat(pid: number, text: string): ProcEntry | undefined {
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parens, so parse after the last ')'.
  const close = text.lastIndexOf(')')
  if (close < 0) return undefined
  const f = text.slice(close + 2).trim().split(' ')
  // f[i] is field i+3 of proc(5): state 3, ppid 4, pgrp 5, starttime 22.
  if (f.length < 20) return undefined
  return { pid, state: f[0]!, ppid: Number(f[1]), pgid: Number(f[2]), start: f[19]! }
}

export const isLiveState = (state: string): boolean => state !== 'Z' && state !== 'X'

/** Every process now, or undefined where /proc is unavailable (non-Linux). */
export async function readProcTable(): Promise<ProcTable | undefined> {
  let names: string[]
  try {
    names = await readdir('/proc')
  } catch {
    return undefined
  }
  const table: ProcTable = new Map()
  await Promise.all(
    names.map(async (name) => {
      if (!/^\d+$/.test(name)) return
      const pid = Number(name)
      const text = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null) // exited meanwhile
      const e = text === null ? undefined : parseStat(pid, text)
      if (e) table.set(pid, e)
    }),
  )
  return table
}

/** The roots and all their descendants, parents before children (breadth first). */
export function descendants(table: ProcTable, roots: Iterable<number>): number[] {
  const children = new Map<number, number[]>()
  for (const e of table.values()) {
    const list = children.get(e.ppid)
    if (list) list.push(e.pid)
    else children.set(e.ppid, [e.pid])
  }
  const seen = new Set<number>()
  const order: number[] = []
  const queue = [...roots].filter((p) => table.has(p))
  while (queue.length) {
    const pid = queue.shift()!
    if (seen.has(pid)) continue
    seen.add(pid)
    order.push(pid)
    for (const c of children.get(pid) ?? []) if (!seen.has(c)) queue.push(c)
  }
  return order
}

let bootIdCache: string | undefined
async function bootId(): Promise<string> {
  bootIdCache ??= (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => 'unknown-boot')).trim()
  return bootIdCache
}

/**
 * A stable identity of a running process: boot id + start time. The same pid with another identity
 * is another process (the pid was recycled). Null when the process is not running (or no /proc).
 */
export async function processIdentity(pid: number): Promise<string | null> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null)
  const e = text === null ? undefined : parseStat(pid, text)
  if (!e || !isLiveState(e.state)) return null
  return `${await bootId()}:${e.start}`
}

/** The start-time part of an identity (what /proc/<pid>/stat shows), for comparing to a table entry. */
export function startOfIdentity(identity: string): string {
  return identity.slice(identity.lastIndexOf(':') + 1)
}
