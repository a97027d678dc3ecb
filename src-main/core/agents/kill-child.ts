// The one way the core signals a child it spawned. Node's `ChildProcess.kill` on a child whose
// spawn failed with EMFILE/ENFILE (no pid, handle kept) calls kill(0, sig): the signal goes to our
// whole process group: the core, and the app, shell or test runner that started it. So a child
// without a pid, or one already exited, is never signalled.
import type { ChildProcess } from 'node:child_process'

/** Sends `signal` to `child` if it was started and has not exited; true when sent. */
export function killChild(child: Pick<ChildProcess, 'pid' | 'exitCode' | 'signalCode' | 'kill'>, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined || !Number.isInteger(child.pid) || child.pid <= 1) return false
  if (child.exitCode !== null || child.signalCode !== null) return false
  return child.kill(signal)
}
