// One door for every bridge request, whatever the transport (Electron IPC or the headless web
// socket): check the sender, validate the payload against the contract, run the handler, and turn
// any failure into data `{ ok: false, code, message }`. Nothing unvalidated reaches a handler.
import {
  requests,
  type ErrorCode,
  type RequestName,
  type RequestResult,
  type Result,
} from '../../../src-preload/contract'
import { InvalidRefError, PathEscapeError } from '../git'
import { GitBusyError } from '../git/run'
import type { Logger } from '../log/logger'

export type Handlers = {
  [N in RequestName]: (params: import('zod').infer<(typeof requests)[N]['params']>) => Promise<RequestResult<N>> | RequestResult<N>
}

/** Who sent a request, as the transport saw it. */
export interface Sender {
  trusted: boolean
  /** For logs: the frame URL (IPC) or the peer address (web). */
  label: string
}

const EXHAUSTED_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM'])

/** A failure the handler expects and the user can act on; crosses the bridge with its code. */
export class BridgeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'BridgeError'
  }
}

export type Dispatch = (name: string, params: unknown, sender: Sender) => Promise<Result<unknown>>

/** Handlers come from several services; a request whose service is not running answers 'unavailable'. */
export type PartialHandlers = Partial<Handlers>

export function createDispatcher(handlers: PartialHandlers, log: Logger): Dispatch {
  return async (name, params, sender) => {
    if (!sender.trusted) {
      log.warn('bridge request refused: untrusted sender', { request: name, sender: sender.label })
      return { ok: false, code: 'untrusted-sender', message: `Request ${name} refused: the sender is not a Makima window.` }
    }
    if (!Object.hasOwn(requests, name)) {
      return { ok: false, code: 'unknown-request', message: `Unknown request: ${String(name).slice(0, 64)}` }
    }
    const key = name as RequestName
    const parsed = requests[key].params.safeParse(params)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
      return { ok: false, code: 'invalid-params', message: `Invalid parameters for ${key}${where}: ${issue?.message ?? 'invalid'}` }
    }
    const handler = handlers[key] as ((p: unknown) => Promise<unknown> | unknown) | undefined
    if (!handler) return { ok: false, code: 'unavailable', message: `${key} is not available in this mode.` }
    // Error text crosses to the window (and web clients): git and gh stderr may quote a URL with
    // a token in it, so it passes the same redaction as the log.
    const safe = (message: string) => log.redactor.redactText(message)
    try {
      const value = await handler(parsed.data)
      return { ok: true, value }
    } catch (err) {
      if (err instanceof BridgeError) return { ok: false, code: err.code, message: safe(err.message) }
      // A path or branch name the git engine refused is the caller's mistake, not ours.
      if (err instanceof PathEscapeError || err instanceof InvalidRefError) return { ok: false, code: 'invalid-params', message: safe(err.message) }
      // Out of processes or file descriptors, or too many calls waiting: busy, not broken.
      if (err instanceof GitBusyError || EXHAUSTED_CODES.has((err as NodeJS.ErrnoException).code ?? '')) {
        return { ok: false, code: 'unavailable', message: safe(`${key}: busy (${err instanceof Error ? err.message : String(err)}); try again shortly`) }
      }
      log.error('bridge handler failed', { request: key, error: err })
      return { ok: false, code: 'internal', message: safe(`${key} failed: ${err instanceof Error ? err.message : String(err)}`) }
    }
  }
}
