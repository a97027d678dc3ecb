// git when the process is out of file descriptors: the call fails as "busy" (retry later) and the
// process lives on. Before, the runner used the child's stdout before listening for its error:
// Node hands back a child without pipes on EMFILE, so the process died of a TypeError.
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../../../..')

// Fill the descriptor table, free a few (too few for three pipes), then run git; report the outcome.
const SCRIPT = `
const fs = require('fs')
import(${JSON.stringify(join(root, 'src-main/core/git/run.ts'))}).then(async (m) => {
  const run = m.runGit ?? m.default.runGit
  await run(['--version'], { operation: 'version', cwd: '/' }) // everything loaded before the table fills
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

describe('git runner out of file descriptors', () => {
  it('answers busy instead of crashing, and works again once descriptors are free', async () => {
    const { stdout } = await promisify(execFile)('/usr/bin/prlimit', ['--nofile=64:64', process.execPath, '--import', 'tsx', '-e', SCRIPT], { cwd: root, timeout: 20_000 })
    const r = JSON.parse(stdout) as { outcomes: string[]; after: string }
    expect(r.outcomes.length).toBe(3)
    expect(r.outcomes.every((o) => o === 'GitBusyError' || o === 'ok')).toBe(true)
    expect(r.outcomes).toContain('GitBusyError')
    expect(r.after).toMatch(/^git version /)
  }, 30_000)
})
