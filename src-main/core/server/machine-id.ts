// The daemon's machine id: a UUID created once and kept in the data dir, so the server recognises
// this machine across restarts. A damaged file is replaced (and said so) rather than trusted.
import { randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../log/logger'

export const MACHINE_ID_FILE = 'machine-id'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function loadMachineId(dataDir: string, log?: Logger): Promise<string> {
  const path = join(dataDir, MACHINE_ID_FILE)
  const existing = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null
    throw err
  })
  if (existing !== null) {
    const value = existing.trim()
    if (UUID.test(value)) return value.toLowerCase()
    log?.warn('machine id file is not a UUID; creating a new machine id', { path })
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const fresh = randomUUID()
  // Write to a temp file and rename: a crash never leaves a half-written id behind.
  const tmp = `${path}.${process.pid}.tmp`
  const fh = await open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(`${fresh}\n`)
    await fh.sync()
  } finally {
    await fh.close()
  }
  try {
    await rename(tmp, path)
  } catch (err) {
    await unlink(tmp).catch(() => undefined)
    throw err
  }
  log?.info('created machine id', { machineId: fresh, path })
  return fresh
}
