// One /proc scan per poll for everyone waiting on process trees. Ending 100 agents a killed core
// left behind used to run 100 loops that each read all of /proc every 40 ms (one after another:
// 6 s); now every waiter of a tick gets the same table, read once after they asked.
import { readProcTable, type ProcTable } from './process-tree'

type Reader = () => Promise<ProcTable | undefined>

export class ProcPoller {
  private waiters: ((table: ProcTable | undefined) => void)[] = []
  private timer: NodeJS.Timeout | null = null
  private fireAt = 0
  private scanCount = 0

  constructor(private readonly read: Reader = readProcTable) {}

  /** A table read after this call, within about `delayMs` (shared with every caller of that poll);
   * undefined where /proc is unavailable. */
  next(delayMs: number): Promise<ProcTable | undefined> {
    return new Promise((resolve) => {
      this.waiters.push(resolve)
      this.schedule(Math.max(0, delayMs))
    })
  }

  /** Scans done so far (for tests and the bench). */
  get scans(): number {
    return this.scanCount
  }

  private schedule(delayMs: number): void {
    const at = Date.now() + delayMs
    // A poll already due sooner serves this caller too; a later one is brought forward.
    if (this.timer && this.fireAt <= at) return
    if (this.timer) clearTimeout(this.timer)
    this.fireAt = at
    this.timer = setTimeout(() => void this.poll(), delayMs)
  }

  private async poll(): Promise<void> {
    this.timer = null
    // Callers from now on need a scan started after they asked: they wait for the next poll.
    const batch = this.waiters.splice(0)
    this.scanCount++
    const table = await this.read().catch(() => undefined)
    for (const resolve of batch) resolve(table)
  }
}

/** The core's poller: every tree being ended shares its scans. */
export const procPoller = new ProcPoller()
