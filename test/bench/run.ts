// `npm run bench`: runs every benchmark module in this folder and prints one JSON object.
// A module exports an async function (named `run`, `bench`, default, or its only function)
// returning JSON-able figures. `npm run bench -- name1 name2` runs only those.
import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'

type BenchFn = () => Promise<unknown>

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const files = (await readdir(__dirname)).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_')).sort()
  const results: Record<string, unknown> = {}
  for (const file of files) {
    const name = basename(file, '.ts')
    if (only.length && !only.includes(name)) continue
    const mod = (await import(join(__dirname, file))) as Record<string, unknown>
    const fn = [mod.run, mod.bench, mod.default, ...Object.values(mod)].find((v): v is BenchFn => typeof v === 'function')
    if (!fn) continue
    process.stderr.write(`bench: ${name}…\n`)
    try {
      results[name] = await fn()
    } catch (err) {
      results[name] = { error: err instanceof Error ? err.message : String(err) }
    }
  }
  process.stdout.write(JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, results }, null, 2) + '\n')
}

void main()
