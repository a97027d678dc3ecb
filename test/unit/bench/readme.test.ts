import { describe, expect, it } from 'vitest'
import { END, START, renderTable, rewriteReadme, type Results } from '../../bench/readme'

const results: Results = {
  date: '2026-12-06T16:00:00.000Z',
  node: 'v20.20.2',
  machine: { cpus: 2, cpuModel: 'Test CPU' },
  quick: false,
  measures: {
    P2: {
      measure: 'agent stdout → client',
      pass: false,
      figures: {
        throughput: { ours: 36183.6, baseline: null, ratio: null, unit: 'lines/s', goal: '≥ 100000 lines/s', pass: false },
        vsRawPipe: { ours: 36183.6, baseline: 191102, ratio: 0.189, unit: 'lines/s', goal: '≥ 0.25 ×', pass: false },
      },
    },
    P7: { error: 'boom | with a pipe' },
  },
}

describe('bench:readme', () => {
  it('renders one row per figure from the JSON, with the machine and the goal met or not', () => {
    const block = renderTable(results)
    expect(block.startsWith(START)).toBe(true)
    expect(block.endsWith(END)).toBe(true)
    expect(block).toContain('Measured 2026-12-06 on 2 cores (Test CPU), Node v20.20.2.')
    expect(block).toContain('| P2 | agent stdout → client | throughput | ≥ 100000 lines/s | 36,184 lines/s | — | — | **no** |')
    expect(block).toContain('| P2 | agent stdout → client | vsRawPipe | ≥ 0.25 × | 36,184 lines/s | 191,102 lines/s | 0.189× | **no** |')
    expect(block).toContain('| P7 | — | — | — | failed to run: boom   with a pipe | — | — | no |')
  })

  it('rewrites only the marked section', () => {
    const before = `# Title\n\nintro\n\n${START}\nold table\n${END}\n\n## After\ntext | with | pipes\n`
    const out = rewriteReadme(before, renderTable(results))
    expect(out.startsWith('# Title\n\nintro\n\n')).toBe(true)
    expect(out.endsWith(`${END}\n\n## After\ntext | with | pipes\n`)).toBe(true)
    expect(out).not.toContain('old table')
    // Idempotent: a second rewrite with the same results changes nothing.
    expect(rewriteReadme(out, renderTable(results))).toBe(out)
  })

  it('refuses a README without the markers instead of appending somewhere', () => {
    expect(() => rewriteReadme('# no markers\n', 'x')).toThrow(/no .* section/)
    expect(() => rewriteReadme(`${END}\n${START}\n`, 'x')).toThrow(/no .* section/)
  })
})
