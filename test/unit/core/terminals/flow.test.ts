// Batching and flow control of terminal output, with a recording sink and fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { OutputFlow, type FlowOptions } from '../../../../src-main/core/terminals/flow'

const OPTS: FlowOptions = { batchMs: 5, batchChars: 100, highWater: 250, lowWater: 50, staleMs: 0 }

function make(opts = OPTS) {
  const sink = { sent: [] as string[], calls: [] as string[] }
  const flow = new OutputFlow(
    {
      emit: (d) => sink.sent.push(d),
      pause: () => sink.calls.push('pause'),
      resume: () => sink.calls.push('resume'),
    },
    opts,
  )
  return { flow, sink }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('OutputFlow', () => {
  it('sends the first chunk at once, then coalesces what follows for batchMs', () => {
    const { flow, sink } = make()
    flow.push('a')
    expect(sink.sent).toEqual(['a'])
    flow.push('b')
    flow.push('c')
    vi.advanceTimersByTime(4)
    expect(sink.sent).toEqual(['a'])
    vi.advanceTimersByTime(1)
    expect(sink.sent).toEqual(['a', 'bc'])
    expect(flow.stats()).toMatchObject({ buffered: 0, unacked: 3, sent: 3 })
    vi.advanceTimersByTime(5) // a window with nothing in it closes
    expect(vi.getTimerCount()).toBe(0)
    flow.push('d')
    expect(sink.sent).toEqual(['a', 'bc', 'd'])
  })

  it('sends at once when a batch is full', () => {
    const { flow, sink } = make()
    flow.push('-') // opens a window
    flow.push('x'.repeat(60))
    flow.push('y'.repeat(40))
    expect(sink.sent).toEqual(['-', 'x'.repeat(60) + 'y'.repeat(40)])
    vi.advanceTimersByTime(10)
    expect(sink.sent).toHaveLength(2)
  })

  it('pauses above the high water mark and resumes at the low one', () => {
    const { flow, sink } = make()
    flow.push('x'.repeat(100))
    flow.push('x'.repeat(100))
    expect(sink.calls).toEqual([])
    flow.push('x'.repeat(60)) // 260 outstanding > 250
    expect(sink.calls).toEqual(['pause'])
    vi.advanceTimersByTime(5)
    expect(flow.stats()).toMatchObject({ buffered: 0, unacked: 260, paused: true })

    flow.ack(200) // 60 left: still above 50
    expect(sink.calls).toEqual(['pause'])
    flow.ack(10)
    expect(sink.calls).toEqual(['pause', 'resume'])
    expect(flow.stats()).toMatchObject({ unacked: 50, acked: 210, paused: false })
  })

  it('counts buffered output as outstanding, and clamps over-acknowledgement', () => {
    const { flow, sink } = make({ ...OPTS, batchChars: 1000 })
    flow.push('x'.repeat(300)) // buffered only, not sent yet
    expect(sink.calls).toEqual(['pause'])
    vi.advanceTimersByTime(5)
    flow.ack(1_000_000)
    expect(flow.stats()).toMatchObject({ unacked: 0, acked: 300 })
    expect(sink.calls).toEqual(['pause', 'resume'])
    flow.ack(-5)
    expect(flow.stats().acked).toBe(300)
  })

  it('flushes on demand and goes quiet once disposed', () => {
    const { flow, sink } = make()
    flow.push('head')
    flow.push('tail')
    flow.flush()
    expect(sink.sent).toEqual(['head', 'tail'])
    flow.push('more')
    flow.dispose()
    vi.advanceTimersByTime(10)
    flow.push('after')
    flow.flush()
    expect(sink.sent).toEqual(['head', 'tail'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('an unwatched terminal flows freely (nothing waits for acks); watching again counts from there', () => {
    const { flow, sink } = make()
    flow.push('x'.repeat(300))
    expect(sink.calls).toEqual(['pause'])
    flow.unwatch()
    expect(sink.calls).toEqual(['pause', 'resume'])
    flow.push('y'.repeat(600))
    vi.advanceTimersByTime(10)
    expect(flow.stats()).toMatchObject({ unacked: 0, paused: false })
    flow.watch()
    flow.push('z'.repeat(300))
    expect(flow.stats()).toMatchObject({ unacked: 300, paused: true })
  })

  it('a view that stops acknowledging while paused is taken as gone after staleMs', () => {
    const { flow, sink } = make({ ...OPTS, staleMs: 1000 })
    flow.push('x'.repeat(300))
    expect(sink.calls).toEqual(['pause'])
    vi.advanceTimersByTime(999)
    expect(flow.isWatched).toBe(true)
    vi.advanceTimersByTime(1)
    expect(flow.isWatched).toBe(false)
    expect(sink.calls).toEqual(['pause', 'resume'])
  })
})
