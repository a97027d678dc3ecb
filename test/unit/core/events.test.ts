import { describe, expect, it } from 'vitest'
import { CoreEvents } from '../../../src-main/core/events'

describe('CoreEvents preparers', () => {
  it('complete a payload once for every subscriber, and not at all when nobody listens', () => {
    let prepared = 0
    const events = new CoreEvents({ taskOutput: (p) => (prepared++, { ...p, lines: p.lines.map((l) => ({ ...l, events: [] })) }) })
    events.emit('taskOutput', { taskId: 't', lines: [{ seq: 1, kind: 'json', data: '{}' }] })
    expect(prepared).toBe(0)
    const seen: unknown[] = []
    events.on('taskOutput', (p) => seen.push(p.lines[0]))
    events.onAny((name, p) => name === 'taskOutput' && seen.push((p as { lines: unknown[] }).lines[0]))
    events.emit('taskOutput', { taskId: 't', lines: [{ seq: 2, kind: 'json', data: '{}' }] })
    expect(prepared).toBe(1)
    expect(seen).toEqual([{ seq: 2, kind: 'json', data: '{}', events: [] }, { seq: 2, kind: 'json', data: '{}', events: [] }])
  })
})
