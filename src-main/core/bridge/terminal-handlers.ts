// Bridge requests for the interactive terminals of task worktrees, and the forwarding of their
// output and exits onto the core's event stream.
import type { ErrorCode } from '../../../src-preload/contract'
import type { CoreEvents } from '../events'
import { TerminalError, type TerminalErrorKind, type TerminalHost } from '../terminals/host'
import { BridgeError, type PartialHandlers } from './dispatch'

const CODES: Record<TerminalErrorKind, ErrorCode> = {
  'not-found': 'not-found',
  'no-worktree': 'conflict',
  limit: 'unavailable',
  invalid: 'invalid-params',
  unavailable: 'unavailable',
}

async function bridged<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof TerminalError) throw new BridgeError(CODES[err.kind], err.message)
    throw err
  }
}

export function createTerminalHandlers(host: TerminalHost): PartialHandlers {
  return {
    openTerminal: ({ taskId, cols, rows, run }) => bridged(() => host.open(taskId, { cols, rows }, { run })),
    writeTerminal: ({ terminalId, data }) => bridged(() => {
      host.write(terminalId, data)
      return null
    }),
    resizeTerminal: ({ terminalId, cols, rows }) => bridged(() => {
      host.resize(terminalId, cols, rows)
      return null
    }),
    ackTerminal: ({ terminalId, bytes }) => bridged(() => {
      host.ack(terminalId, bytes)
      return null
    }),
    listTerminals: ({ taskId }) => host.list(taskId).map(({ terminalId, pid, kind }) => ({ terminalId, pid, kind })),
    attachTerminal: ({ terminalId }) => bridged(() => host.attach(terminalId)),
    detachTerminal: ({ terminalId }) => {
      host.detach(terminalId)
      return null
    },
    closeTerminal: ({ terminalId }) => bridged(async () => {
      await host.close(terminalId)
      return null
    }),
  }
}

/** Puts the host's output and exits on the event stream; returns the unsubscribe. */
export function forwardTerminalEvents(host: TerminalHost, events: CoreEvents): () => void {
  return host.onEvent((e) => {
    if (e.type === 'data') events.emit('terminalData', { terminalId: e.terminalId, data: e.data, offset: e.offset })
    else events.emit('terminalExit', { terminalId: e.terminalId, exitCode: e.exitCode })
  })
}
