// An interactive shell in the task's worktree, drawn by xterm.js (DOM renderer: no eval, works
// under the app's CSP). Opens a terminal when first mounted, fits it to the panel, sends keys,
// acknowledges drawn output (main pauses a flooding shell until we catch up) and closes the
// shell on unmount. TaskView keeps it mounted while the task is shown, hidden on other tabs.
import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import { useEffect, useRef, useState } from 'react'
import { getBridge } from '../../bridge'
import './terminal.css'

type Status = { kind: 'opening' } | { kind: 'open' } | { kind: 'exited'; code: number } | { kind: 'failed'; message: string }

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

export function TerminalPanel({ taskId, worktreePath, hidden }: { taskId: string; worktreePath: string | null; hidden: boolean }): React.JSX.Element {
  const hostRef = useRef<HTMLDivElement>(null)
  const fitRef = useRef<(() => void) | null>(null)
  const [status, setStatus] = useState<Status>({ kind: 'opening' })
  const [generation, setGeneration] = useState(0)

  useEffect(() => {
    const el = hostRef.current
    if (!el) return
    const bridge = getBridge()
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
    let terminalId: string | null = null
    let ended = false
    let disposed = false
    // Output that arrives before openTerminal answers is kept until we know our terminal's id.
    const early = new Map<string, string[]>()
    let unacked = 0
    let ackTimer: ReturnType<typeof setTimeout> | null = null

    const sendAck = () => {
      if (ackTimer) clearTimeout(ackTimer)
      ackTimer = null
      if (!terminalId || unacked === 0 || ended) return
      void bridge.ackTerminal({ terminalId, bytes: unacked })
      unacked = 0
    }
    const drawn = (chars: number) => {
      unacked += chars
      if (unacked >= ACK_CHARS) sendAck()
      else ackTimer ??= setTimeout(sendAck, ACK_DELAY_MS)
    }
    const show = (data: string) => term.write(data, () => drawn(data.length))

    // Fit only while visible: a hidden panel measures 0×0 and would shrink the shell to nothing.
    const refit = () => {
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit()
    }
    fitRef.current = refit
    refit()

    const offData = bridge.on('terminalData', ({ terminalId: id, data }) => {
      if (terminalId === null) early.set(id, [...(early.get(id) ?? []), data])
      else if (id === terminalId) show(data)
    })
    const offExit = bridge.on('terminalExit', ({ terminalId: id, exitCode }) => {
      if (id !== terminalId) return
      ended = true
      term.write(`\r\n\x1b[2m[process exited with code ${exitCode}]\x1b[0m\r\n`)
      setStatus({ kind: 'exited', code: exitCode })
    })
    const onKeys = term.onData((data) => {
      if (!terminalId || ended) return
      for (let i = 0; i < data.length; i += WRITE_CHUNK) void bridge.writeTerminal({ terminalId, data: data.slice(i, i + WRITE_CHUNK) })
    })
    const onResize = term.onResize(({ cols, rows }) => {
      if (terminalId && !ended) void bridge.resizeTerminal({ terminalId, cols, rows })
    })
    const observer = new ResizeObserver(() => refit())
    observer.observe(el)

    setStatus({ kind: 'opening' })
    void bridge.openTerminal({ taskId, cols: term.cols, rows: term.rows }).then((r) => {
      if (!r.ok) {
        early.clear()
        if (!disposed) {
          term.write(`\x1b[31m${r.message}\x1b[0m\r\n`)
          setStatus({ kind: 'failed', message: r.message })
        }
        return
      }
      if (disposed) {
        void bridge.closeTerminal({ terminalId: r.value.terminalId })
        return
      }
      terminalId = r.value.terminalId
      for (const data of early.get(terminalId) ?? []) show(data)
      early.clear()
      setStatus({ kind: 'open' })
      // The panel may have been resized while the shell was starting.
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
      if (terminalId && !ended) void bridge.closeTerminal({ terminalId })
      term.dispose()
    }
  }, [taskId, generation])

  // Becoming visible again: the panel may have changed size while hidden.
  useEffect(() => {
    if (!hidden) fitRef.current?.()
  }, [hidden])

  return (
    <div className="terminal-panel" hidden={hidden} data-testid="terminal-panel">
      <div className="terminal-bar muted">
        <span className="grow mono" title="Working directory">
          {worktreePath ?? 'no worktree'}
        </span>
        <span data-testid="terminal-status">
          {status.kind === 'opening' && 'starting shell…'}
          {status.kind === 'open' && 'shell running'}
          {status.kind === 'exited' && `exited (${status.code})`}
          {status.kind === 'failed' && <span className="error">{status.message}</span>}
        </span>
        {(status.kind === 'exited' || status.kind === 'failed') && <button onClick={() => setGeneration((g) => g + 1)}>New shell</button>}
      </div>
      <div className="terminal-frame">
        <div className="terminal-host" ref={hostRef} />
      </div>
    </div>
  )
}
