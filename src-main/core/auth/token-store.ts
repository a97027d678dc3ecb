// Where the long-lived OAuth token from `setup-token` is kept, and the list of tasks that stopped
// for auth. The Electron app supplies a safeStorage-backed TokenStore; headless, the token sits in
// a 0600 file in the data dir. New agent runs get it as CLAUDE_CODE_OAUTH_TOKEN.
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Redactor } from '../log/redact'
import type { AuthErrorReason } from './detect'

export interface TokenStore {
  load(): Promise<string | null>
  save(token: string): Promise<void>
  clear(): Promise<void>
}

export const TOKEN_FILE_NAME = 'claude-oauth-token'

/** A 0600 file in the data dir. Writes go to a temp file first so a crash never leaves half a token. */
export class FileTokenStore implements TokenStore {
  readonly path: string

  constructor(
    private readonly dataDir: string,
    private readonly redactor?: Redactor,
    /** The file in the data dir (other secrets, such as agents' API keys, sit beside the token). */
    fileName = TOKEN_FILE_NAME,
  ) {
    this.path = join(dataDir, fileName)
  }

  async load(): Promise<string | null> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
    const token = text.trim()
    if (!token) return null
    this.redactor?.addSecret(token)
    return token
  }

  async save(token: string): Promise<void> {
    this.redactor?.addSecret(token)
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 })
    const tmp = `${this.path}.${process.pid}.tmp`
    await writeFile(tmp, token + '\n', { mode: 0o600 })
    await chmod(tmp, 0o600) // the mode above is filtered by the umask; make sure
    await rename(tmp, this.path)
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true })
  }
}

/** Kept in memory; for tests and for apps that must not persist the token. */
export class MemoryTokenStore implements TokenStore {
  private token: string | null = null
  async load(): Promise<string | null> {
    return this.token
  }
  async save(token: string): Promise<void> {
    this.token = token
  }
  async clear(): Promise<void> {
    this.token = null
  }
}

/** The environment a new agent run needs for the stored token ({} when there is none). */
export async function agentAuthEnv(store: TokenStore): Promise<Record<string, string>> {
  const token = await store.load()
  return token ? { CLAUDE_CODE_OAUTH_TOKEN: token } : {}
}

export interface AuthFailedTask {
  taskId: string
  /** The agent session to resume, when the run got far enough to have one. */
  sessionId: string | null
  reason: AuthErrorReason
  message: string
  failedAt: number
}

/** Tasks that stopped because the agent was not logged in, kept for a one-click restart. */
export class AuthFailedTasks {
  private readonly entries = new Map<string, AuthFailedTask>()
  private readonly listeners = new Set<(tasks: AuthFailedTask[]) => void>()

  add(entry: AuthFailedTask): void {
    this.entries.set(entry.taskId, entry)
    this.changed()
  }

  remove(taskId: string): boolean {
    const had = this.entries.delete(taskId)
    if (had) this.changed()
    return had
  }

  has(taskId: string): boolean {
    return this.entries.has(taskId)
  }

  list(): AuthFailedTask[] {
    return [...this.entries.values()].sort((a, b) => a.failedAt - b.failedAt)
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (tasks: AuthFailedTask[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    const snapshot = this.list()
    for (const l of this.listeners) l(snapshot)
  }
}
