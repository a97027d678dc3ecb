// git when the process is out of file descriptors: the call fails as "busy" (retry later) and the
// process lives on. Two defects lived here:
// - the runner used the child's stdout before listening for its error: Node hands back a child
//   without pipes on EMFILE, so the process died of a TypeError;
// - it then called `child.kill()` on that child, which has no pid: Node sends kill(0, SIGKILL),
//   i.e. to the whole process group. In CI that group was the test runner's: the suite vanished
//   with exit code 137. The script runs in a group of its own here so that the old code kills only
//   itself (and the test says so) rather than the runner.
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../../../..')

// Fill the descriptor table, free a few (too few for three pipes), then run git; report the
// outcome. No git is run before the table fills: the failed child's handle is then fresh memory,
// where Node's pid field is 0 (kill(0)); after an earlier spawn it may hold a stale pid instead.
const SCRIPT = `
const fs = require('fs')
import(${JSON.stringify(join(root, 'src-main/core/git/run.ts'))}).then(async (m) => {
  const run = m.runGit ?? m.default.runGit
  const held = []
  try { for (;;) held.push(fs.openSync('/dev/null', 'r')) } catch {}
  for (let i = 0; i < 3; i++) fs.closeSync(held.pop())
  const outcomes = await Promise.all([1, 2, 3].map(() => run(['--version'], { operation: 'version', cwd: '/' }).then(() => 'ok', (e) => e.name)))
  for (const fd of held) fs.closeSync(fd)
  const after = await run(['--version'], { operation: 'version', cwd: '/' }).then((r) => r.stdout.trim(), (e) => e.name)
  console.log(JSON.stringify({ outcomes, after }))
  process.exit(0)
})
`

function runScript(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/prlimit', ['--nofile=64:64', process.execPath, '--import', 'tsx', '-e', SCRIPT], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.on('error', fail)
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
    child.on('close', (code, signal) => done({ code, signal, stdout }))
  })
}

describe('git runner out of file descriptors', () => {
  it('answers busy instead of crashing, signals no one, and works again once descriptors are free', async () => {
    const r = await runScript()
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null })
    const out = JSON.parse(r.stdout) as { outcomes: string[]; after: string }
    expect(out.outcomes.length).toBe(3)
    expect(out.outcomes.every((o) => o === 'GitBusyError' || o === 'ok')).toBe(true)
    expect(out.outcomes).toContain('GitBusyError')
    expect(out.after).toMatch(/^git version /)
  }, 30_000)
})
