// The app's settings file, <data dir>/settings.toml: what the user changed in the Settings dialog.
// It is one more TOML layer (above the config files, below the environment and flags), written
// whole and atomically (temp file + rename) so a crash never leaves half a file behind.
import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { stringify } from 'smol-toml'

export const USER_SETTINGS_FILE = 'settings.toml'

export function userSettingsPath(dataDir: string): string {
  return join(dataDir, USER_SETTINGS_FILE)
}

/** { agent: { default: 'codex' } } → [['agent.default', 'codex']]. */
export function flattenToml(table: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = []
  for (const [k, v] of Object.entries(table)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) out.push(...flattenToml(v as Record<string, unknown>, key))
    else out.push([key, v])
  }
  return out
}

/** [['agent.default', 'codex']] → { agent: { default: 'codex' } }. */
export function nestToml(values: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const [key, value] of [...values].sort(([a], [b]) => a.localeCompare(b))) {
    const parts = key.split('.')
    let at = root
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>
    at[parts[parts.length - 1]!] = value
  }
  return root
}

const HEADER = '# Settings changed in the Makima app. Environment variables and flags still win.\n'

export async function writeUserSettings(file: string, values: ReadonlyMap<string, unknown>): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(tmp, HEADER + stringify(nestToml(values)) + '\n', { mode: 0o600 })
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}
