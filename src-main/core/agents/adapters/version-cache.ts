// `--version` once per agent binary, not once per task start: spawning the CLI (a Node program
// that loads for ~0.3 s) before every agent was the largest cost of a start burst. The answer is
// kept while the binary is the same file — same real path, inode, size and mtime — and probed
// again when it changes (an upgrade in place). Failures are not kept: installing the agent fixes
// the next start.
import { realpath, stat } from 'node:fs/promises'
import { isAbsolute } from 'node:path'
import type { VersionCheck } from './version'

/** The files whose identity decides whether a kept answer still holds. */
export interface VersionTarget {
  command: string
  preArgs?: readonly string[]
}

type Probe = () => Promise<VersionCheck>

export class VersionCache {
  private kept: { identity: string; result: Promise<VersionCheck> } | null = null

  constructor(private readonly target: VersionTarget) {}

  /** The kept answer when the binary is unchanged; else one probe, shared by concurrent callers. */
  async check(probe: Probe): Promise<VersionCheck> {
    const identity = await binaryIdentity(this.target)
    // A command that is not an absolute path to an existing file cannot be tracked: always ask.
    if (identity === null) return probe()
    if (this.kept?.identity === identity) return this.kept.result
    const result = probe()
    const entry = { identity, result }
    this.kept = entry
    void result.then((r) => {
      if (!r.ok && this.kept === entry) this.kept = null
    })
    return result
  }
}

/** realpath + device + inode + size + mtime of the command and of any absolute-path pre-arg (a
 * script run by an interpreter is the agent); null when the command is not a file we can stat. */
export async function binaryIdentity(t: VersionTarget): Promise<string | null> {
  const files = [t.command, ...(t.preArgs ?? []).filter((a) => isAbsolute(a))]
  if (!isAbsolute(t.command)) return null
  const parts: string[] = []
  for (const file of files) {
    const id = await fileIdentity(file)
    if (id === null) {
      if (file === t.command) return null
      continue
    }
    parts.push(id)
  }
  return parts.join('|')
}

async function fileIdentity(file: string): Promise<string | null> {
  try {
    const real = await realpath(file)
    const s = await stat(real, { bigint: true })
    if (!s.isFile()) return null
    return `${real}:${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`
  } catch {
    return null
  }
}
