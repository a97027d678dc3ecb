// A start on a full disk names where: ENOSPC on a write carries no path of its own.
import { describe, expect, it } from 'vitest'
import { describeStartFailure } from '../../../src-main/core/start-failure'

describe('describeStartFailure on a full disk', () => {
  it('names the data directory for an fs ENOSPC without a path', () => {
    const err = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 })
    expect(describeStartFailure(err, { dbPath: '/d/daemon.db', dataDir: '/d' }).message).toMatch(/disk full at \/d \(ENOSPC/)
  })

  it('names the database for SQLITE_FULL', () => {
    const err = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    const m = describeStartFailure(err, { dbPath: '/d/daemon.db', dataDir: '/d' }).message
    expect(m).toContain('disk full at /d/daemon.db')
  })
})
