// A long getTaskOutput read lets other requests run: it yields to the event loop every few ms
// instead of holding it for the whole page (on a 1,000,000-line task that was ~3 s).
import { describe, expect, it } from 'vitest'
import { OUTPUT_READ_SLICE_MS, readBounded } from '../../../../src-main/core/bridge/handlers'

function* slowLines(n: number, msEach: number): Generator<{ seq: number; kind: string; data: string }> {
  for (let seq = 1; seq <= n; seq++) {
    const until = performance.now() + msEach
    while (performance.now() < until) {
      // a slow chunk read, simulated
    }
    yield { seq, kind: 'text', data: `line ${seq}` }
  }
}

describe('readBounded', () => {
  it('yields to other work at least every slice while it reads', async () => {
    let otherRan = 0
    const other = () => {
      otherRan++
      if (otherRan < 1000) setImmediate(other)
    }
    setImmediate(other)
    const r = await readBounded(slowLines(40, 1), 1000)
    expect(r.lines.map((l) => l.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(otherRan).toBeGreaterThanOrEqual(40 / (OUTPUT_READ_SLICE_MS + 1))
  })

  it('keeps within the byte budget, at least one line, and says when it cut', async () => {
    const lines = function* () {
      for (let seq = 1; seq <= 5; seq++) yield { seq, kind: 'k', data: 'x'.repeat(10) }
    }
    expect(await readBounded(lines(), 100, 25)).toMatchObject({ lines: [{ seq: 1 }, { seq: 2 }], truncated: true })
    expect(await readBounded(lines(), 100, 1)).toMatchObject({ lines: [{ seq: 1 }], truncated: true })
    expect((await readBounded(lines(), 3)).lines).toHaveLength(3)
  })
})
