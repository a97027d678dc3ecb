// The log file on a full disk: before, the write stream had no error handler and ENOSPC was an
// "Unhandled 'error' event" that killed the core. Now the file is given up with one notice naming
// it, and the logger carries on on stderr.
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Logger } from '../../../../src-main/core/log/logger'
import { Redactor } from '../../../../src-main/core/log/redact'
import { RotatingFile } from '../../../../src-main/core/log/rotating-file'
import { mountTmpfs, tmpfsOptedOut } from '../../../fixtures/tmpfs'

const cleanups: (() => void)[] = []
afterAll(() => cleanups.forEach((c) => c()))

async function fill(path: string): Promise<void> {
  const f = await open(path, 'w')
  try {
    for (;;) await f.write(Buffer.alloc(64 * 1024))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    await f.close()
  }
}

describe.skipIf(tmpfsOptedOut())('the log on a full disk', () => {
  it('gives the file up with one notice and keeps logging to stderr', async () => {
    const fs = mountTmpfs(1024 * 1024)
    cleanups.push(() => fs.unmount())
    const path = join(fs.dir, 'logs', 'daemon.log')
    const notices: string[] = []
    const stderr: string[] = []
    const file = new RotatingFile({ path, maxBytes: 1 << 30, keep: 2, notice: { write: (l) => void notices.push(l) } })
    await file.open()
    const log = new Logger({ level: 'info', redactor: new Redactor(), file, stderr: { write: (l) => void stderr.push(l) } })
    await fill(join(fs.dir, 'filler'))
    for (let i = 0; i < 200; i++) log.info('line', { i, pad: 'x'.repeat(1000) })
    await expect.poll(() => file.failed?.message ?? '').toMatch(/ENOSPC/)
    for (let i = 0; i < 10; i++) log.info('after', { i })
    await file.close()
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain(`disk full at ${path}`)
    expect(stderr.filter((l) => l.includes('after'))).toHaveLength(10)
  })
})
