// Small statistics and the result shape every P measure returns.

export const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d
export const median = (xs: number[]): number => pct(xs, 0.5)
/** The p-quantile (nearest rank); NaN for no samples. */
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))]!
}

/** How a figure compares with its goal: 'max' = must stay at or under, 'min' = at or over. */
export interface Goal {
  value: number
  kind: 'max' | 'min'
  unit: string
}

export interface Figure {
  /** Our figure, the baseline measured in the same run, and ours ÷ baseline. */
  ours: number
  baseline: number | null
  ratio: number | null
  unit: string
  goal: string
  pass: boolean
  /** What the baseline is. */
  baselineIs: string | null
}

/**
 * One figure against its goal. The goal applies to `on`: the absolute figure ('ours') or the ratio
 * ours ÷ baseline ('ratio').
 */
export function figure(o: { ours: number; baseline?: number | null; unit: string; goal: Goal; on?: 'ours' | 'ratio'; baselineIs?: string }): Figure {
  const baseline = o.baseline ?? null
  const ratio = baseline ? round(o.ours / baseline, 3) : null
  const v = (o.on ?? 'ours') === 'ratio' ? ratio : o.ours
  const pass = v !== null && Number.isFinite(v) && (o.goal.kind === 'max' ? v <= o.goal.value : v >= o.goal.value)
  const goal = `${o.goal.kind === 'max' ? '≤' : '≥'} ${o.goal.value}${o.goal.unit ? ` ${o.goal.unit}` : ''}`
  return { ours: round(o.ours, 3), baseline: baseline === null ? null : round(baseline, 3), ratio, unit: o.unit, goal, pass, baselineIs: o.baselineIs ?? null }
}

export interface Measure {
  /** One line: what is measured. */
  measure: string
  /** The figures of this measure (each with its goal); the measure passes when all do. */
  figures: Record<string, Figure>
  pass: boolean
  /** Everything else worth keeping (samples, sizes, component figures). */
  details?: Record<string, unknown>
}

export function measure(what: string, figures: Record<string, Figure>, details?: Record<string, unknown>): Measure {
  return { measure: what, figures, pass: Object.values(figures).every((f) => f.pass), details }
}

/**
 * Runs `ours` and `baseline` alternately `warmup + runs` times; the warm-up pair is discarded and
 * the medians of the rest returned with every sample.
 */
export async function interleave(runs: number, ours: () => Promise<number>, baseline: () => Promise<number>, warmup = 1): Promise<{ ours: number; baseline: number; oursSamples: number[]; baselineSamples: number[] }> {
  const o: number[] = []
  const b: number[] = []
  for (let i = 0; i < warmup + runs; i++) {
    const x = await ours()
    const y = await baseline()
    if (i < warmup) continue
    o.push(round(x))
    b.push(round(y))
  }
  return { ours: median(o), baseline: median(b), oursSamples: o, baselineSamples: b }
}

/** Fast, small runs for a quick look (`npm run bench -- --quick`). */
export const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
