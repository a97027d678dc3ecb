// Per-task tool keys: 32 random bytes in hex, handed to the agent as MAKIMA_API_KEY so the
// in-task `makima` CLI can call the tool API (and the server) as that task. Each key is registered
// with the Redactor the moment it exists, so it can never reach a log line or task output.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Redactor } from '../log/redact'

export function generateToolKey(): string {
  return randomBytes(32).toString('hex')
}

export class ToolKeys {
  private readonly byTask = new Map<string, string>()

  constructor(private readonly redactor: Redactor) {}

  /** A fresh key for the task, replacing (and revoking) any earlier one. */
  mint(taskId: string): string {
    this.revoke(taskId)
    const key = generateToolKey()
    this.redactor.addSecret(key)
    this.byTask.set(taskId, key)
    return key
  }

  get(taskId: string): string | undefined {
    return this.byTask.get(taskId)
  }

  has(taskId: string): boolean {
    return this.byTask.has(taskId)
  }

  /** Forgets the task's key; true when there was one. */
  revoke(taskId: string): boolean {
    const key = this.byTask.get(taskId)
    if (key === undefined) return false
    this.byTask.delete(taskId)
    // A dead key protects nothing; dropping it keeps redaction fast with many tasks.
    this.redactor.removeSecret(key)
    return true
  }

  /** The task a presented key belongs to (constant-time comparison), or undefined. */
  verify(presented: string): string | undefined {
    const p = Buffer.from(presented)
    for (const [taskId, key] of this.byTask) {
      const k = Buffer.from(key)
      if (k.length === p.length && timingSafeEqual(k, p)) return taskId
    }
    return undefined
  }

  taskIds(): string[] {
    return [...this.byTask.keys()]
  }
}
