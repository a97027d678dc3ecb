// The Claude OAuth token in the desktop app: encrypted with the OS keychain (Electron safeStorage)
// in a 0600 file. When no keychain is available, refuses rather than writing plaintext silently.
import { safeStorage } from 'electron'
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { TokenStore } from '../core/auth/token-store'
import type { Redactor } from '../core/log/redact'

export const SAFE_TOKEN_FILE = 'claude-oauth-token.enc'

export class SafeStorageTokenStore implements TokenStore {
  readonly path: string

  constructor(
    dataDir: string,
    private readonly redactor: Redactor,
    private readonly storage: Pick<typeof safeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> = safeStorage,
    fileName = SAFE_TOKEN_FILE,
  ) {
    this.path = join(dataDir, fileName)
  }

  async load(): Promise<string | null> {
    let blob: Buffer
    try {
      blob = await readFile(this.path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
    if (!this.storage.isEncryptionAvailable()) return null
    const token = this.storage.decryptString(blob).trim()
    if (!token) return null
    this.redactor.addSecret(token)
    return token
  }

  async save(token: string): Promise<void> {
    this.redactor.addSecret(token)
    if (!this.storage.isEncryptionAvailable()) throw new Error('The system keychain is not available, so the secret cannot be stored safely.')
    await mkdir(dirname(this.path), { recursive: true })
    const tmp = `${this.path}.${process.pid}.tmp`
    await writeFile(tmp, this.storage.encryptString(token), { mode: 0o600 })
    await chmod(tmp, 0o600)
    await rename(tmp, this.path)
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true })
  }
}
