// getVersion round trips measured by a separate client process (_getversion-probe.ts), so the
// bench's own work never shows up as the core's delay.
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'

const root = resolve(__dirname, '../../..')

/** Runs the probe while `load` runs; the round trips it saw (ms). */
export async function probeDuring(d: { url: string; token: string }, load: () => Promise<void>): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '_getversion-probe.ts'), d.url, d.token], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] })
  child.on('error', () => undefined)
  let out = ''
  const opened = new Promise<void>((r) => child.stdout.on('data', (b: Buffer) => ((out += b.toString()), out.startsWith('open\n') && r())))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  await opened
  try {
    await load()
  } finally {
    child.stdin.end()
  }
  await exited
  return JSON.parse(out.slice('open\n'.length)) as number[]
}
