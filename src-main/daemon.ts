// Headless entry: the same core as the desktop app, under plain Node, for machines without a
// display (`npm run daemon`). Exit codes: 0 on a clean stop, 2 for bad configuration, 1 otherwise.
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from './core/config/config'
import { logUnhandledRejections } from './core/log/rejections'
import { loadConfig } from './core/config/load'
import { readyLine } from './core/ready-line'
import { describeStartFailure } from './core/start-failure'
import { APP_VERSION, startCore } from './core/start'
import { usePrivateUmask } from './core/store/private-files'
import { bundleLayout, runningFromSource } from './layout'

export async function main(argv: string[]): Promise<number> {
  usePrivateUmask() // before anything is created: data, logs and agents' files are the user's alone
  let loaded
  try {
    loaded = await loadConfig({ argv, env: process.env, cwd: process.cwd() })
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      return err.exitCode
    }
    throw err
  }
  if (loaded.kind === 'help') {
    process.stdout.write(`${loaded.text}\n`)
    return 0
  }
  if (loaded.kind === 'version') {
    process.stdout.write(`makima-desktop ${APP_VERSION}\n`)
    return 0
  }
  const config = loaded.config
  // Signals are handled from here on: one that arrives while the core starts is remembered and
  // acted on once it is up (the store is flushed either way). The ready line is printed only after
  // this, because a supervisor may signal as soon as it reads it.
  logUnhandledRejections([config.server.apiKey])
  let onSignal: ((signal: string) => void) | null = null
  let early: string | null = null
  const handler = (signal: string) => () => {
    if (onSignal) onSignal(signal)
    else early ??= signal
  }
  process.on('SIGINT', handler('SIGINT'))
  process.on('SIGTERM', handler('SIGTERM'))

  // restartDaemon from the server: stop everything, then exit 42 so a supervisor restarts us.
  let requestExit: (code: number) => void = () => undefined
  const exitRequested = new Promise<number>((r) => (requestExit = r))
  let core
  try {
    core = await startCore(config, { mode: 'daemon', ...(await bundleParts()), onExit: (code) => requestExit(code) })
  } catch (err) {
    const failure = describeStartFailure(err, { dbPath: config.localDb.path, dataDir: config.dataDir })
    process.stderr.write(`${failure.message}\n`)
    return failure.exitCode
  }
  return new Promise<number>((resolveExit) => {
    void exitRequested.then((code) => {
      core.log.info('exit requested', { code })
      void core.stop().finally(() => resolveExit(code))
    })
    let stopping = false
    const stop = (signal: string) => {
      // A second signal while stopping is logged, not fatal: the stop finishes and flushes the store.
      if (stopping) return core.log.warn('signal received while stopping; still stopping', { signal })
      stopping = true
      core.log.info('signal received, stopping', { signal })
      core.stop().then(
        () => resolveExit(0),
        (err: unknown) => {
          process.stderr.write(`error while stopping: ${String(err)}\n`)
          resolveExit(1)
        },
      )
    }
    onSignal = stop
    if (early) return stop(early)
    process.stdout.write(`${readyLine(core, APP_VERSION, 'node')}\n`)
  })
}

/**
 * The bundle's parts: the CLI and the renderer next to out/main/daemon.js. From source (tsx) the
 * CLI runs through tsx and the renderer is out/renderer when it was built.
 */
async function bundleParts(): Promise<{ cliScript: string | null; rendererDir: string | null }> {
  const layout = runningFromSource(__filename) ? null : bundleLayout(__dirname)
  const dir = layout?.rendererDir ?? join(__dirname, '..', 'out', 'renderer')
  const found = await access(join(dir, 'index.html')).then(() => true, () => false)
  return { cliScript: layout?.cliScript ?? null, rendererDir: found ? dir : null }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fatal: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  },
)
