// The one git runner. Every git (and gh) call of the product goes through here:
// argv arrays only (never a shell), LC_ALL=C so output parses in any locale, no prompts,
// a timeout that kills the child, and the exit codes that count as success declared per call.
import { spawn } from 'node:child_process'
import { access } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import { killChild } from '../agents/kill-child'

export const DEFAULT_GIT_TIMEOUT_MS = 60_000
/** git processes of this core at once; more wait their turn (file descriptors and memory stay bounded). */
export const MAX_GIT_PROCESSES = 16
/** Stdout kept from one git call unless told otherwise; past it the call is ended (memory stays bounded). */
export const DEFAULT_MAX_GIT_STDOUT_BYTES = 256 * 1024 * 1024
/** Stderr kept from one git call: enough for any message, not for a runaway progress stream. */
const MAX_GIT_STDERR_BYTES = 1024 * 1024
/** Calls waiting for a turn; past this, a call is refused at once as busy instead of queued. */
export const MAX_GIT_WAITING = 4_000

/** Too much at once (process table or file descriptors full, or the wait queue): retry later. */
export class GitBusyError extends Error {
  constructor(readonly operation: string, detail: string) {
    super(`git ${operation}: busy (${detail}); try again shortly`)
    this.name = 'GitBusyError'
  }
}

const EXHAUSTED = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM'])

/** A tiny FIFO gate over the git processes of this process. */
class Gate {
  private running = 0
  private readonly waiting: (() => void)[] = []
  constructor(private readonly max: number, private readonly maxWaiting: number) {}

  async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.maxWaiting) throw new GitBusyError(operation, `${this.maxWaiting} git calls already waiting`)
      await new Promise<void>((r) => this.waiting.push(r))
    } else this.running++
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next() // the slot passes straight on
      else this.running--
    }
  }
}

const gate = new Gate(MAX_GIT_PROCESSES, MAX_GIT_WAITING)

/** An unexpected git failure: what we ran, where, and what git said. */
export class GitError extends Error {
  constructor(
    readonly operation: string,
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
    readonly cwd: string,
    detail?: string,
  ) {
    super(`git ${operation} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${detail ?? (stderr.trim() || 'no output')}`)
    this.name = 'GitError'
  }
}

export interface RunOptions {
  /** Name of the operation, carried by GitError. */
  operation: string
  cwd: string
  /** Exit codes that are not failures (default [0]). Others throw GitError. */
  okExitCodes?: readonly number[]
  timeoutMs?: number
  stdin?: Buffer | string
  /** Extra environment entries (override the inherited ones; undefined removes). */
  env?: Record<string, string | undefined>
  /** Called for each stderr line as it arrives (clone progress uses \r too). */
  onStderrLine?: (line: string) => void
  /** Program to run; 'git' unless told (pull requests run 'gh'). */
  command?: string
  /** Stdout bytes kept before the call is ended with GitOutputTooLargeError (default 256 MiB). */
  maxStdoutBytes?: number
  /** Stdout piped here (with backpressure, not ended) instead of kept; the result's stdout is empty. */
  stdoutTo?: Writable
  /** Ends the child (SIGKILL); the call then fails with a GitError "aborted". */
  signal?: AbortSignal
}

export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
  /** Raw stdout, for binary output such as `diff --binary`. */
  stdoutBuffer: Buffer
}

// Variables a parent git (a hook, a test runner inside a repo) may set that would redirect our calls.
const LEAKY_GIT_VARS = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX', 'GIT_CEILING_DIRECTORIES', 'LANGUAGE',
]

/** The environment every git child gets: inherited, minus redirects, plus C locale and no prompts. */
export function gitEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const k of LEAKY_GIT_VARS) delete env[k]
  env.LC_ALL = 'C'
  env.LANG = 'C'
  env.GIT_TERMINAL_PROMPT = '0'
  // Credential managers and ssh must fail instead of waiting for a person who is not there.
  env.GCM_INTERACTIVE = 'never'
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

/** A call's stdout passed its limit: the child was killed and nothing it printed is returned. */
export class GitOutputTooLargeError extends Error {
  constructor(
    readonly operation: string,
    readonly limitBytes: number,
  ) {
    super(`${operation}: git printed more than ${limitBytes} bytes; stopped`)
    this.name = 'GitOutputTooLargeError'
  }
}

/** A program that could not be started at all (ENOENT: not installed / not on PATH). */
export class CommandNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`${command} was not found on PATH`)
    this.name = 'CommandNotFoundError'
  }
}

export function runGit(args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return gate.run(opts.operation, () => spawnGit(args, opts))
}

function spawnGit(args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const command = opts.command ?? 'git'
  const ok = opts.okExitCodes ?? [0]
  const timeoutMs = opts.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof spawn>
    try {
      child = spawn(command, [...args], { cwd: opts.cwd, env: gitEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] })
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? ''
      reject(EXHAUSTED.has(code) ? new GitBusyError(opts.operation, code) : e)
      return
    }
    const out: Buffer[] = []
    const err: Buffer[] = []
    let outBytes = 0
    let errBytes = 0
    let tooLarge = false
    let aborted = false
    const maxOut = opts.maxStdoutBytes ?? DEFAULT_MAX_GIT_STDOUT_BYTES
    let lineBuf = ''
    let timedOut = false
    let settled = false
    const timer = setTimeout(() => {
      timedOut = true
      killChild(child, 'SIGKILL')
    }, timeoutMs)
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
    }
    let spawnFailed = false
    // First, before any use of stdio: on EMFILE Node hands back a child whose pipes are null.
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnFailed = true
      if (EXHAUSTED.has(e.code ?? '')) return finish(() => reject(new GitBusyError(opts.operation, e.code!)))
      // spawn says ENOENT both for a missing program and a missing cwd: tell them apart.
      void access(opts.cwd).then(
        () => false,
        () => true,
      ).then((cwdMissing) =>
        finish(() =>
          reject(
            e.code === 'ENOENT' && !cwdMissing
              ? new CommandNotFoundError(command)
              : new GitError(opts.operation, args, e.message, null, opts.cwd, cwdMissing ? `working directory ${opts.cwd} does not exist` : undefined),
          ),
        ),
      )
    })
    if (!child.stdout || !child.stderr || !child.stdin) {
      spawnFailed = true
      killChild(child, 'SIGKILL')
      finish(() => reject(new GitBusyError(opts.operation, 'no pipes for the child')))
      return
    }
    const onAbort = () => {
      aborted = true
      killChild(child, 'SIGKILL')
    }
    if (opts.signal?.aborted) onAbort()
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    if (opts.stdoutTo) child.stdout.pipe(opts.stdoutTo, { end: false })
    else child.stdout.on('data', (d: Buffer) => {
      if (tooLarge) return
      outBytes += d.length
      if (outBytes > maxOut) {
        tooLarge = true
        out.length = 0
        killChild(child, 'SIGKILL')
        return
      }
      out.push(d)
    })
    child.stderr.on('data', (d: Buffer) => {
      if (errBytes < MAX_GIT_STDERR_BYTES) err.push(d)
      errBytes += d.length
      if (opts.onStderrLine) {
        lineBuf += d.toString('utf8')
        const parts = lineBuf.split(/\r\n|\r|\n/)
        lineBuf = parts.pop() ?? ''
        for (const p of parts) if (p.trim()) opts.onStderrLine(p)
      }
    })
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort)
      if (spawnFailed) return
      const stdoutBuffer = Buffer.concat(out)
      const stderr = Buffer.concat(err).toString('utf8')
      if (opts.onStderrLine && lineBuf.trim()) opts.onStderrLine(lineBuf)
      finish(() => {
        if (tooLarge) return reject(new GitOutputTooLargeError(opts.operation, maxOut))
        if (aborted) return reject(new GitError(opts.operation, args, stderr, null, opts.cwd, 'aborted'))
        if (timedOut) {
          reject(new GitError(opts.operation, args, stderr, null, opts.cwd, `timed out after ${timeoutMs} ms`))
          return
        }
        const exitCode = code ?? -1
        if (signal || !ok.includes(exitCode)) {
          reject(new GitError(opts.operation, args, stderr, code, opts.cwd, signal ? `killed by ${signal}` : undefined))
          return
        }
        resolve({ exitCode, stdout: stdoutBuffer.toString('utf8'), stderr, stdoutBuffer })
      })
    })
    child.stdin.on('error', () => {
      /* the child may exit before reading all input; its exit code tells the story */
    })
    child.stdin.end(opts.stdin ?? '')
  })
}

/** Trimmed stdout of a git call that must succeed. */
export async function gitText(args: readonly string[], opts: RunOptions): Promise<string> {
  return (await runGit(args, opts)).stdout.trim()
}
