// Frames sent to one client within a turn of the event loop leave in one socket write: each
// socket is corked at its first frame and uncorked once, after the turn's I/O callbacks. With 100
// agents flushing output every 16 ms that is one writev per client per turn, not one per event.
// A socket holding more than HOLD_BYTES is written at once: what a client has not read must stay
// visible as its own backlog (the slow-client bound), not hide among frames we are holding.
import type { Socket } from 'node:net'

export const HOLD_BYTES = 64 * 1024

/** The part of a ws WebSocket used here (ws keeps its socket in `_socket`). */
interface WithSocket {
  readonly _socket?: Socket | null
}

export class TickBatcher {
  private readonly corked = new Set<Socket>()
  private scheduled = false

  /** Runs `send` (which writes frames to `ws`) with the socket held until the end of this turn. */
  send(ws: object, send: () => void): void {
    const socket = (ws as WithSocket)._socket
    if (!socket || socket.destroyed) return send()
    if (!this.corked.has(socket)) {
      socket.cork()
      this.corked.add(socket)
      this.schedule()
    }
    send()
    if (socket.writableLength > HOLD_BYTES) this.release(socket)
  }

  /** Writes everything held (also called on close, so nothing stays corked). */
  flush(): void {
    this.scheduled = false
    for (const s of [...this.corked]) this.release(s)
  }

  private release(socket: Socket): void {
    this.corked.delete(socket)
    if (!socket.destroyed) socket.uncork()
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.flush())
  }
}
