// A peer side by side: CCManager (npm `ccmanager`), a TUI that runs Claude Code sessions in git
// worktrees. 3.1.5 is its last release that runs on Node (node-pty); 3.3+ start sessions with
// Bun.spawn and launch a Bun-compiled binary whose linux-x64 package is not on the registry.
// Measured: Enter on a worktree in its menu → Claude Code's first screen ("Welcome to Claude Code")
// in the PTY, against `claude` started directly in a PTY to the same screen. Installed on first use
// into node_modules/.cache/makima-bench-peer with npm (exact version).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import * as pty from 'node-pty'
import { CLAUDE_BIN } from '../../fixtures/claude-env'
import { interleave, type Figure, figure } from './stats'

export const PEER = { name: 'ccmanager', version: '3.1.5' }
const ROOT = resolve(__dirname, '../../..')
const DIR = join(ROOT, 'node_modules', '.cache', 'makima-bench-peer')
const CLI = join(DIR, 'node_modules', 'ccmanager', 'dist', 'cli.js')

function ensurePeer(): string {
  if (!existsSync(CLI)) execFileSync('npm', ['install', '--prefix', DIR, '--no-save', '--no-audit', '--no-fund', `${PEER.name}@${PEER.version}`], { stdio: 'ignore', timeout: 300_000 })
  return CLI
}

// eslint-disable-next-line no-control-regex -- terminal escapes are control characters
const plain = (s: string) => s.replace(/\x1b\[[0-9;?<>]*[a-zA-Z]|\x1b\][^\x07]*\x07|[\s]/g, '')

const QUIET_MS = 150

/**
 * ms until the PTY shows `marker` (ANSI and spaces ignored): from the start, or with `ready`, from
 * the moment `ready.then()` is called: once `ready.when` holds for the screen and it has then been
 * still for QUIET_MS (an Enter sent while the TUI is still drawing is dropped by it).
 */
function timeTo(p: pty.IPty, marker: string, ready?: { when: (screen: string) => boolean; then: () => void }): Promise<number> {
  return new Promise((res, rej) => {
    let out = ''
    let t0 = ready ? 0 : performance.now()
    let armed: NodeJS.Timeout | undefined
    const timer = setTimeout(() => rej(new Error(`peer: no "${marker}" within 30 s`)), 30_000)
    const go = () => {
      out = ''
      t0 = performance.now()
      ready!.then()
    }
    p.onData((d) => {
      out += d
      const text = plain(out)
      if (ready && t0 === 0 && ready.when(text)) {
        clearTimeout(armed)
        armed = setTimeout(go, QUIET_MS)
      } else if (t0 !== 0 && text.includes(marker)) {
        clearTimeout(timer)
        res(performance.now() - t0)
      }
    })
  })
}

const stop = (p: pty.IPty) => new Promise<void>((r) => (p.onExit(() => r()), p.kill('SIGKILL')))

export async function peerSideBySide(repo: string, env: Record<string, string>, runs: number): Promise<{ figure: Figure; oursSamples: number[]; baselineSamples: number[] } | { skipped: string }> {
  let cli: string
  try {
    cli = ensurePeer()
  } catch (err) {
    return { skipped: `npm could not install ${PEER.name}@${PEER.version}: ${err instanceof Error ? err.message : String(err)}` }
  }
  const ptyEnv = { ...env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${env.PATH ?? '/usr/bin:/bin'}`, TERM: 'xterm-256color' }
  const opts = { cols: 120, rows: 40, env: ptyEnv }
  const peer = async () => {
    const p = pty.spawn(process.execPath, [cli], { ...opts, cwd: repo })
    // The menu lists the main worktree first (item 0), then the others; ready once git has
    // answered for it ("[fetching...]" gone from its entry).
    const entry = '❯0❯main(main)'
    const listed = (screen: string) => {
      const at = screen.lastIndexOf(entry)
      return at >= 0 && !screen.startsWith('[fetching', at + entry.length)
    }
    const ms = await timeTo(p, 'WelcometoClaudeCode', { when: listed, then: () => p.write('\r') })
    await stop(p)
    return ms
  }
  const raw = async () => {
    const p = pty.spawn(CLAUDE_BIN, [], { ...opts, cwd: repo })
    const ms = await timeTo(p, 'WelcometoClaudeCode')
    await stop(p)
    return ms
  }
  let m: Awaited<ReturnType<typeof interleave>>
  try {
    m = await interleave(runs, peer, raw)
  } catch (err) {
    return { skipped: `${PEER.name}@${PEER.version} did not reach Claude Code's first screen: ${err instanceof Error ? err.message : String(err)}` }
  }
  return {
    figure: figure({ ours: m.ours, baseline: m.baseline, unit: 'ms', on: 'ratio', goal: { value: 1.25, kind: 'max', unit: '×' }, baselineIs: 'claude started directly in a PTY, to the same screen' }),
    oursSamples: m.oursSamples,
    baselineSamples: m.baselineSamples,
  }
}
