// Which store keeps the Claude token in the Electron process. The OS keychain when there is a real
// one; otherwise (headless `--daemon`, or Linux with no keyring, where safeStorage falls back to a
// fixed built-in password) the same 0600 file the plain-Node daemon uses, which is no weaker.
import { safeStorage } from 'electron'
import { FileTokenStore, type TokenStore } from '../core/auth/token-store'
import type { Redactor } from '../core/log/redact'
import { SafeStorageTokenStore } from './safe-token-store'

type Storage = Pick<typeof safeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>

export function keychainUsable(storage: Storage = safeStorage, platform: NodeJS.Platform = process.platform): boolean {
  if (!storage.isEncryptionAvailable()) return false
  return platform !== 'linux' || storage.getSelectedStorageBackend() !== 'basic_text'
}

/** `name`: another secret than the Claude token (an agent's API key), in a file of its own. */
export function chooseTokenStore(dataDir: string, redactor: Redactor, opts: { headless: boolean; storage?: Storage; name?: string }): TokenStore {
  const storage = opts.storage ?? safeStorage
  if (!opts.headless && keychainUsable(storage)) return new SafeStorageTokenStore(dataDir, redactor, storage, opts.name ? `${opts.name}.enc` : undefined)
  return new FileTokenStore(dataDir, redactor, opts.name)
}
