import { describe, expect, it } from 'vitest'
import { Redactor } from '../../../../src-main/core/log/redact'
import { ToolKeys, generateToolKey } from '../../../../src-main/core/tasks/tool-keys'

describe('tool keys', () => {
  it('are 32 random bytes in hex', () => {
    const a = generateToolKey()
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(generateToolKey()).not.toBe(a)
  })

  it('are registered with the redactor when minted and dropped when revoked', () => {
    const r = new Redactor()
    const keys = new ToolKeys(r)
    const key = keys.mint('t1')
    expect(r.redactText(`MAKIMA_KEY ${key} end`)).toBe('MAKIMA_KEY [REDACTED] end')
    expect(keys.get('t1')).toBe(key)
    expect(keys.verify(key)).toBe('t1')
    expect(keys.verify('0'.repeat(64))).toBeUndefined()
    expect(keys.revoke('t1')).toBe(true)
    expect(keys.revoke('t1')).toBe(false)
    expect(keys.verify(key)).toBeUndefined()
    expect(r.redactText(key)).toBe(key)
  })

  it('minting again replaces the earlier key', () => {
    const keys = new ToolKeys(new Redactor())
    const a = keys.mint('t')
    const b = keys.mint('t')
    expect(a).not.toBe(b)
    expect(keys.verify(a)).toBeUndefined()
    expect(keys.verify(b)).toBe('t')
  })
})
