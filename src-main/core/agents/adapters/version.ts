// `<command> --version` for any agent (no shell): readiness, or why it is not ready.
import { execFile } from 'node:child_process'

export type VersionCheck =
  | { ok: true; version: string; /** "Claude Code X ready" */ readyText: string }
  | { ok: false; reason: string }

export interface VersionProbe {
  displayName: string
  parseVersion(output: string): string | undefined
  /** Added to "not found": how to install the agent. */
  installHint?: string
}

export function checkAgentVersion(
  a: VersionProbe,
  o: { command: string; preArgs?: readonly string[]; env?: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<VersionCheck> {
  const name = a.displayName
  return new Promise((resolve) => {
    execFile(
      o.command,
      [...(o.preArgs ?? []), '--version'],
      { env: o.env, cwd: o.cwd, timeout: o.timeoutMs ?? 20_000, maxBuffer: 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code
          const hint = a.installHint ? ` (not installed? ${a.installHint})` : ''
          if (code === 'ENOENT') return resolve({ ok: false, reason: `${name} was not found: '${o.command}' is not on PATH or does not exist${hint}` })
          if (code === 'EACCES') return resolve({ ok: false, reason: `${name} cannot be run: '${o.command}' is not executable` })
          const detail = String(stderr || stdout || err.message).trim().split('\n')[0]
          return resolve({ ok: false, reason: `'${o.command} --version' failed: ${detail}` })
        }
        const version = a.parseVersion(String(stdout))
        if (!version) return resolve({ ok: false, reason: `'${o.command} --version' printed no version: ${String(stdout).trim().slice(0, 200)}` })
        resolve({ ok: true, version, readyText: `${name} ${version} ready` })
      },
    )
  })
}

/** The first semver in the output: `2.1.331 (Claude Code)`, `codex-cli 0.171.0`, `0.61.0`. */
export function parseSemver(output: string): string | undefined {
  return /(\d+\.\d+\.\d+(?:[-+][\w.]+)?)/.exec(output)?.[1]
}
