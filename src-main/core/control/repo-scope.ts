// A supervisor's key reaches only its own contract's repository: a spawn that names another one is
// refused (issue 12: a supervisor could spawn tasks in any repository the daemon's user can read).
// Local paths are compared as real paths, so `./repo`, `repo/` or a symlink to it are the same
// repository; URLs and new:// must be written exactly as the contract has them.
import { realpath } from 'node:fs/promises'
import { localPathOf } from '../tasks/allowed-roots'

export async function sameRepository(a: string, b: string): Promise<boolean> {
  if (a.trim() === b.trim()) return true
  const [pa, pb] = [localPathOf(a), localPathOf(b)]
  if (pa === null || pb === null) return false
  const [ra, rb] = await Promise.all([realpath(pa).catch(() => null), realpath(pb).catch(() => null)])
  return ra !== null && ra === rb
}
