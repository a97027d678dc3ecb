#!/usr/bin/env node
// Builds out/ with electron-vite when it is missing or older than its sources, one build at a time:
// `npm run daemon` and parallel test workers share it and never see a half-written out/.
// Usage: node scripts/ensure-build.mjs [--force]. Progress goes to stderr; stdout stays clean.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const INPUTS = ['src-main', 'src-preload', 'src-renderer', 'resources', 'package.json', 'package-lock.json', 'electron.vite.config.ts', 'tsconfig.base.json']
const OUT = join(ROOT, 'out')
const STAMP = join(OUT, '.inputs')
const LOCK = join(ROOT, '.out.lock')

/** A fingerprint of every input file (path, size, mtime): a changed source means a rebuild. */
async function fingerprint() {
  const hash = createHash('sha256')
  const walk = async (path) => {
    const s = await stat(path).catch(() => null)
    if (!s) return
    if (s.isDirectory()) {
      for (const name of (await readdir(path)).sort()) await walk(join(path, name))
    } else {
      hash.update(`${relative(ROOT, path)}\0${s.size}\0${s.mtimeMs}\n`)
    }
  }
  for (const input of INPUTS) await walk(join(ROOT, input))
  return hash.digest('hex')
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err.code === 'EPERM'
  }
}

/** mkdir is atomic: the first process to create the lock builds; a dead holder's lock is taken over. */
async function withLock(fn) {
  const deadline = Date.now() + 5 * 60_000
  for (;;) {
    try {
      await mkdir(LOCK)
      break
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
      const pid = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => ''))
      if (pid && !alive(pid)) {
        await rm(LOCK, { recursive: true, force: true })
        continue
      }
      if (Date.now() > deadline) throw new Error(`ensure-build: ${LOCK} is held by pid ${pid || '?'} for over 5 minutes`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  try {
    await writeFile(join(LOCK, 'pid'), String(process.pid))
    return await fn()
  } finally {
    await rm(LOCK, { recursive: true, force: true })
  }
}

function build(outDir) {
  const bin = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  return new Promise((resolveBuild, reject) => {
    const child = spawn(process.execPath, [bin, 'build', '--outDir', outDir, '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 2, 2],
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => (code === 0 ? resolveBuild() : reject(new Error(`electron-vite build failed (${signal ?? code})`))))
  })
}

export async function ensureBuilt({ force = false } = {}) {
  return withLock(async () => {
    const want = await fingerprint()
    const have = await readFile(STAMP, 'utf8').catch(() => null)
    if (!force && have === want) return { built: false, outDir: OUT }
    process.stderr.write(`ensure-build: ${have ? 'sources changed, rebuilding' : 'building'} out/\n`)
    // Build beside out/ and swap it in, so a reader never sees a partial tree.
    const next = join(ROOT, `.out.next-${process.pid}`)
    await rm(next, { recursive: true, force: true })
    await build(next)
    await writeFile(join(next, '.inputs'), want)
    const old = join(ROOT, `.out.old-${process.pid}`)
    if (existsSync(OUT)) await rename(OUT, old)
    await rename(next, OUT)
    await rm(old, { recursive: true, force: true })
    return { built: true, outDir: OUT }
  })
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureBuilt({ force: process.argv.includes('--force') }).catch((err) => {
    process.stderr.write(`${err.message}\n`)
    process.exit(1)
  })
}
