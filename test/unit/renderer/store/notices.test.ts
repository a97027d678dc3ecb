import { describe, expect, it } from 'vitest'
import type { TaskSummary } from '../../../../src-preload/contract'
import { addNotice, MAX_NOTICES, withTaskNames, type Notice } from '../../../../src-renderer/src/store/notices'

const ID = '03db1f90-3457-4abc-8def-0123456789ab'
const n = (id: number, over: Partial<Notice> = {}): Notice => ({ id, level: 'info', message: `m${id}`, taskId: null, ...over })

describe('notices', () => {
  it('names known tasks instead of their ids', () => {
    const tasks = { [ID]: { id: ID, name: 'Fix login' } as TaskSummary }
    expect(withTaskNames(`Task ${ID} has ended`, tasks)).toBe('Task “Fix login” has ended')
    expect(withTaskNames('Task 11111111-2222-4333-8444-555555555555 x', tasks)).toBe('Task 11111111-2222-4333-8444-555555555555 x')
  })
  it("leaves the task on screen's errors to its header, drops duplicates, keeps a bounded stack", () => {
    expect(addNotice([], n(1, { level: 'error', taskId: ID }), ID)).toBeNull()
    expect(addNotice([], n(1, { level: 'error', taskId: ID }), null)).toHaveLength(1)
    expect(addNotice([n(1)], n(2, { message: 'm1' }), null)).toBeNull()
    let list: Notice[] = []
    for (let i = 0; i < 10; i++) list = addNotice(list, n(i), null)!
    expect(list.map((x) => x.id)).toEqual([6, 7, 8, 9].slice(-MAX_NOTICES))
  })
})
