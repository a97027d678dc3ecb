// One terminal drawn by xterm.js (DOM renderer: no eval, works under the app's CSP). The shell
// lives in main with the worktree; this view attaches to it (the scrollback so far, then live
// output), sends keys, acknowledges drawn output (main pauses a flooding shell until we catch
// up) and detaches when it goes away — the shell keeps running.
import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import { useEffect, useRef } from 'react'
import { getBridge } from '../../bridge'

export type ViewStatus = { kind: 'opening' } | { kind: 'open' } | { kind: 'exited'; code: number } | { kind: 'failed'; message: string }

// Writes go out in pieces the contract accepts (a large paste becomes several requests, in order).
const WRITE_CHUNK = 16 * 1024
// Acks are coalesced: one request per this many characters drawn, or after a short pause.
const ACK_CHARS = 16 * 1024
const ACK_DELAY_MS = 20

const THEME = {
  background: '#0b0d12',
  foreground: '#e6e8ee',
  cursor: '#e0475b',
  selectionBackground: '#2b3245',
  black: '#1c202b', red: '#ff6b6b', green: '#4cc38a', yellow: '#f0b429', blue: '#6ea8fe', magenta: '#c792ea', cyan: '#56c8d8', white: '#e6e8ee',
  brightBlack: '#5c6370', brightRed: '#ff8787', brightGreen: '#69db9c', brightYellow: '#ffd166', brightBlue: '#8fb8ff', brightMagenta: '#d9a8ff', brightCyan: '#7ee0ec', brightWhite: '#ffffff',
}

function makeTerminal(el: HTMLElement): { term: Terminal; fit: FitAddon } {
  const term = new Terminal({
    fontFamily: "ui-monospace, 'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
    fontSize: 13,
    cursorBlink: true,
    scrollback: 5000,
    theme: THEME,
  })
  const fit = new FitAddon()
  term.loadAddon(fit)
  term.open(el)
  return { term, fit }
}

interface Props {
  terminalId: string
  hidden: boolean
  onStatus: (terminalId: string, s: ViewStatus) => void
}

export function TerminalView({ terminalId, hidden, onStatus }: Props): React.JSX.Element {
  const hostRef = useRef<HTMLDivElement>(null)
  const fitRef = useRef<(() => void) | null>(null)
  const statusRef = useRef(onStatus)
  statusRef.current = onStatus

  useEffect(() => {
    const el = hostRef.current
    if (!el) return
    const bridge = getBridge()
    const { term, fit } = makeTerminal(el)
    const status = (s: ViewStatus) => statusRef.current(terminalId, s)
    let end: number | null = null // attached once known: output before this offset is in the scrollback
    let ended = false
    const early: { data: string; offset: number }[] = []
    let unacked = 0
    let ackTimer: ReturnType<typeof setTimeout> | null = null

    const sendAck = () => {
      if (ackTimer) clearTimeout(ackTimer)
      ackTimer = null
      if (unacked === 0 || ended) return
      void bridge.ackTerminal({ terminalId, bytes: unacked })
      unacked = 0
    }
    const drawn = (chars: number) => {
      unacked += chars
      if (unacked >= ACK_CHARS) sendAck()
      else ackTimer ??= setTimeout(sendAck, ACK_DELAY_MS)
    }
    // Live output: what the scrollback already held is skipped (attaching acknowledged it).
    const show = (data: string, offset: number) => {
      const skip = Math.max(0, Math.min(data.length, (end ?? 0) - offset))
      if (skip < data.length) term.write(data.slice(skip), () => drawn(data.length - skip))
    }

    // Fit only while visible: a hidden panel measures 0×0 and would shrink the shell to nothing.
    const refit = () => {
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit()
    }
    fitRef.current = refit
    refit()

    const offData = bridge.on('terminalData', ({ terminalId: id, data, offset }) => {
      if (id !== terminalId) return
      if (end === null) early.push({ data, offset })
      else show(data, offset)
    })
    const offExit = bridge.on('terminalExit', ({ terminalId: id, exitCode }) => {
      if (id !== terminalId) return
      ended = true
      term.write(`\r\n\x1b[2m[process exited with code ${exitCode}]\x1b[0m\r\n`)
      status({ kind: 'exited', code: exitCode })
    })
    const onKeys = term.onData((data) => {
      if (end === null || ended) return
      for (let i = 0; i < data.length; i += WRITE_CHUNK) void bridge.writeTerminal({ terminalId, data: data.slice(i, i + WRITE_CHUNK) })
    })
    const onResize = term.onResize(({ cols, rows }) => {
      if (end !== null && !ended) void bridge.resizeTerminal({ terminalId, cols, rows })
    })
    const observer = new ResizeObserver(() => refit())
    observer.observe(el)

    let disposed = false
    void bridge.attachTerminal({ terminalId }).then((r) => {
      if (disposed) return
      if (!r.ok) {
        ended = true
        term.write(`\x1b[31m${r.message}\x1b[0m\r\n`)
        status({ kind: 'failed', message: r.message })
        return
      }
      term.write(r.value.scrollback)
      end = r.value.end
      for (const e of early.splice(0)) show(e.data, e.offset)
      status({ kind: 'open' })
      // The panel may have a new size since the shell last drew.
      void bridge.resizeTerminal({ terminalId, cols: term.cols, rows: term.rows })
      term.focus()
    })

    return () => {
      disposed = true
      fitRef.current = null
      observer.disconnect()
      offData()
      offExit()
      onKeys.dispose()
      onResize.dispose()
      if (ackTimer) clearTimeout(ackTimer)
      if (!ended) void bridge.detachTerminal({ terminalId })
      term.dispose()
    }
  }, [terminalId])

  // Becoming visible again: the panel may have changed size while hidden.
  useEffect(() => {
    if (!hidden) fitRef.current?.()
  }, [hidden])

  return (
    <div className="terminal-frame" hidden={hidden} data-testid="terminal-view" data-terminal-id={terminalId}>
      <div className="terminal-host" ref={hostRef} />
    </div>
  )
}
