// Headless start-up: process spawn → ready line, for `npm run daemon` (tsx from source).
import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(__dirname, '../..')

async function once(): Promise<number> {
  const data = await mkdtemp(join(tmpdir(), 'makima-bench-'))
  const started = process.hrtime.bigint()
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src-main/daemon.ts'), '--data-dir', data, '--web-port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const ms = await new Promise<number>((res, rej) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('ready')) res(Number(process.hrtime.bigint() - started) / 1e6)
    })
    child.on('exit', (code) => rej(new Error(`daemon exited ${code} before ready`)))
  })
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  return ms
}

export async function run(): Promise<unknown> {
  const samples: number[] = []
  for (let i = 0; i < 5; i++) samples.push(await once())
  samples.sort((a, b) => a - b)
  return { readyMs: { median: Math.round(samples[2]!), min: Math.round(samples[0]!), max: Math.round(samples[4]!) }, samples: samples.length, goalMs: 1000 }
}
