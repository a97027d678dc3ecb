// What the kernel says about a process: resident memory and CPU time, from /proc.
import { readFileSync } from 'node:fs'

/** Resident set size in bytes (0 once the process is gone). */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

const TICKS_PER_SECOND = 100 // USER_HZ on Linux

/** User + system CPU time of the process itself, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND
}

/** Running and not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))
  } catch {
    return false
  }
}

/**
 * SIGKILL to `pid` only while it still runs `program` (its /proc cmdline names it): a pid read
 * earlier may since have been given to another process (pids wrap during a full test run).
 */
export function killIfStill(pid: number, program: string): void {
  try {
    if (!alive(pid) || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(program)) return
    process.kill(pid, 'SIGKILL')
  } catch {
    // gone meanwhile
  }
}

/** Samples rss every `everyMs` until stopped; the peak seen. */
export function rssSampler(pid: number, everyMs = 50): { stop(): { peakBytes: number; samples: number } } {
  let peak = rssBytes(pid)
  let samples = 1
  const t = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid))
    samples++
  }, everyMs)
  return { stop: () => (clearInterval(t), { peakBytes: peak, samples }) }
}
