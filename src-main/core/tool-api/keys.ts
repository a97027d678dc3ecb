// Tool keys the API accepts: fed by the task manager's registerToolKey / revokeToolKey events.
// Keys are kept only as SHA-256 digests, so a lookup's timing says nothing about a key's bytes
// and a heap dump holds no usable key.
import { createHash } from 'node:crypto'
import type { TaskEvent } from '../tasks/types'

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex')

export class KeyRing {
  private readonly byDigest = new Map<string, string>()
  private readonly byTask = new Map<string, string>()

  register(taskId: string, key: string): void {
    this.revoke(taskId)
    const d = digest(key)
    this.byDigest.set(d, taskId)
    this.byTask.set(taskId, d)
  }

  revoke(taskId: string): void {
    const d = this.byTask.get(taskId)
    if (d === undefined) return
    this.byTask.delete(taskId)
    this.byDigest.delete(d)
  }

  /** The task the key belongs to, or undefined. */
  taskFor(key: string): string | undefined {
    if (key.length === 0 || key.length > 1024) return undefined
    return this.byDigest.get(digest(key))
  }

  /** Follows a task manager's key events. */
  onTaskEvent(e: TaskEvent): void {
    if (e.type === 'registerToolKey') this.register(e.taskId, e.key)
    else if (e.type === 'revokeToolKey') this.revoke(e.taskId)
  }

  get size(): number {
    return this.byTask.size
  }
}
