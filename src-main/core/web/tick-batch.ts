// Frames sent to one client within a turn of the event loop leave in one socket write: each
// socket is corked at its first frame and uncorked once, after the turn's I/O callbacks. With 100
// agents flushing output every 16 ms that is one writev per client per turn, not one per event.
import type { Socket } from 'node:net'

/** The part of a ws WebSocket used here (ws keeps its socket in `_socket`). */
interface WithSocket {
  readonly _socket?: Socket | null
}

export class TickBatcher {
  private readonly corked = new Set<Socket>()
  private scheduled = false

  /** Holds `ws`'s writes until the end of this turn; safe to call for every frame. */
  hold(ws: object): void {
    const socket = (ws as WithSocket)._socket
    if (!socket || socket.destroyed || this.corked.has(socket)) return
    socket.cork()
    this.corked.add(socket)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => this.flush())
    }
  }

  /** Writes everything held (also called on close, so nothing stays corked). */
  flush(): void {
    this.scheduled = false
    const sockets = [...this.corked]
    this.corked.clear()
    for (const s of sockets) if (!s.destroyed) s.uncork()
  }
}
