// Which program a Run terminal starts: .makima/run as it is when executable, through /bin/sh when
// not; a symlink or a missing file is refused with a message that says what to do.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findRunScript } from '../../../../src-main/core/terminals/run-script'

const made: string[] = []
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })))
function worktree(script?: { content: string; mode: number }): string {
  const d = mkdtempSync(join(tmpdir(), 'makima-run-'))
  made.push(d)
  if (script) {
    mkdirSync(join(d, '.makima'))
    writeFileSync(join(d, '.makima/run'), script.content)
    chmodSync(join(d, '.makima/run'), script.mode)
  }
  return d
}

describe('findRunScript', () => {
  it('runs an executable file itself (its #! line picks the interpreter), any other through /bin/sh', async () => {
    const exe = worktree({ content: '#!/bin/sh\necho hi\n', mode: 0o755 })
    expect(await findRunScript(exe)).toEqual({ kind: 'found', file: join(exe, '.makima/run'), args: [], path: join(exe, '.makima/run') })
    const plain = worktree({ content: 'echo hi\n', mode: 0o644 })
    expect(await findRunScript(plain)).toEqual({ kind: 'found', file: '/bin/sh', args: [join(plain, '.makima/run')], path: join(plain, '.makima/run') })
  })

  it('refuses a missing file and a symlink (it could point outside the worktree)', async () => {
    const none = await findRunScript(worktree())
    expect(none.kind === 'missing' && none.reason).toContain('has no .makima/run')
    const linked = worktree()
    mkdirSync(join(linked, '.makima'))
    symlinkSync('/etc/passwd', join(linked, '.makima/run'))
    const r = await findRunScript(linked)
    expect(r.kind === 'missing' && r.reason).toContain('must be a regular file')
  })
})
