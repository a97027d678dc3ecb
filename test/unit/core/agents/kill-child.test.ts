// killChild signals only a child that was started and has not exited: Node's own kill() on a child
// whose spawn failed (no pid) sends kill(0, …), to our whole process group.
import { describe, expect, it, vi } from 'vitest'
import { killChild } from '../../../../src-main/core/agents/kill-child'

const child = (over: Partial<{ pid: number | undefined; exitCode: number | null; signalCode: NodeJS.Signals | null }>) => ({ pid: 4242, exitCode: null, signalCode: null, kill: vi.fn(() => true), ...over })

describe('killChild', () => {
  it('never signals a child without a pid, or one that already exited', () => {
    for (const c of [child({ pid: undefined }), child({ pid: 0 }), child({ exitCode: 0 }), child({ signalCode: 'SIGTERM' })]) {
      expect(killChild(c, 'SIGKILL')).toBe(false)
      expect(c.kill).not.toHaveBeenCalled()
    }
  })

  it('signals a running child', () => {
    const c = child({})
    expect(killChild(c, 'SIGTERM')).toBe(true)
    expect(c.kill).toHaveBeenCalledWith('SIGTERM')
  })
})
