// `npm run bench`: the P1–P7 measures of issue 16 (each our figure, the physical baseline measured
// in the same run, the ratio, the goal and pass/fail; see docs/PERFORMANCE.md), then the component
// benches (figures of one part, no baseline; labelled "component"). Prints one JSON object.
//   npm run bench -- P2 P5        only these (P names or component names)
//   npm run bench -- --quick      smaller runs, for a quick look
//   npm run bench -- --save F     also writes the JSON to F (npm run bench:readme reads it)
//   npm run bench -- --no-components   the P measures only
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { builtApp } from '../fixtures/built-app'

type BenchFn = () => Promise<unknown>

/** The P measures, in order: name → module under p/. */
export const MEASURES: Record<string, string> = {
  P1: 'p1-create-task',
  P2: 'p2-output-path',
  P3: 'p3-hundred-agents',
  P4: 'p4-ui',
  P5: 'p5-start-recover',
  P6: 'p6-idle-cpu',
  P7: 'p7-disk',
}
/** Component benches: one part each, no physical baseline (not the goals). */
export const COMPONENTS = ['agent-output', 'daemon-startup', 'git-worktree', 'output-storage', 'renderer-output', 'server-link', 'task-engine', 'terminals']

async function load(path: string): Promise<BenchFn | undefined> {
  const mod = (await import(path)) as Record<string, unknown>
  return [mod.run, mod.bench, mod.default, ...Object.values(mod)].find((v): v is BenchFn => typeof v === 'function')
}

async function runOne(name: string, path: string): Promise<unknown> {
  const fn = await load(path)
  if (!fn) return { error: `${path} exports no function` }
  process.stderr.write(`bench: ${name}…\n`)
  const t0 = performance.now()
  try {
    const r = await fn()
    process.stderr.write(`bench: ${name} done in ${Math.round((performance.now() - t0) / 1000)} s\n`)
    return r
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err), pass: false }
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const saveAt = argv.indexOf('--save')
  const save = saveAt >= 0 ? argv[saveAt + 1] : undefined
  const only = argv.filter((a, i) => !a.startsWith('--') && !(saveAt >= 0 && i === saveAt + 1))
  const want = (name: string) => only.length === 0 || only.includes(name)
  await builtApp() // the measures run the built bundle (out/), built here when stale
  const measures: Record<string, unknown> = {}
  for (const [name, file] of Object.entries(MEASURES)) if (want(name)) measures[name] = await runOne(name, join(__dirname, 'p', `${file}.ts`))
  const components: Record<string, unknown> = {}
  if (!argv.includes('--no-components')) {
    for (const name of COMPONENTS) if (want(name)) components[name] = { kind: 'component', ...((await runOne(name, join(__dirname, `${name}.ts`))) as object) }
  }
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 2 ** 30) },
    quick: argv.includes('--quick'),
    measures,
    components,
  }
  const text = JSON.stringify(out, null, 2) + '\n'
  if (save) writeFileSync(save, text)
  // Exits once the JSON is out: a component bench that leaves a handle open must not keep the run
  // (and a CI job waiting on it) alive after every figure is in.
  process.stdout.write(text, () => process.exit(0))
}

if (require.main === module) void main()
