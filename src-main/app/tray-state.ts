// The tray icon follows the work: attention when something waits for the user, busy while agents
// run, idle otherwise.
import { ACTIVE_STATES, type TaskState } from '../../src-preload/contract'
import type { CoreEvents } from '../core/events'
import type { TrayState } from './tray'

export interface TraySnapshot {
  tasks: Map<string, TaskState>
  pendingQuestions: Set<string>
  loginNeeded: boolean
}

export function trayStateOf(s: TraySnapshot): { state: TrayState; tooltip: string } {
  const running = [...s.tasks.values()].filter((st) => ACTIVE_STATES.includes(st)).length
  if (s.pendingQuestions.size > 0 || s.loginNeeded) {
    const what = s.loginNeeded ? 'Claude login needed' : `${s.pendingQuestions.size} question(s) waiting`
    return { state: 'attention', tooltip: `Makima — ${what}` }
  }
  if (running > 0) return { state: 'busy', tooltip: `Makima — ${running} agent(s) working` }
  return { state: 'idle', tooltip: 'Makima — idle' }
}

export function wireTrayState(events: CoreEvents, initial: TraySnapshot, apply: (state: TrayState, tooltip: string) => void): () => void {
  const snap = initial
  const update = () => {
    const { state, tooltip } = trayStateOf(snap)
    apply(state, tooltip)
  }
  const offs = [
    events.on('taskUpdated', (t) => {
      snap.tasks.set(t.id, t.state)
      update()
    }),
    events.on('questionUpdated', (q) => {
      if (q.state === 'pending') snap.pendingQuestions.add(q.id)
      else snap.pendingQuestions.delete(q.id)
      update()
    }),
    events.on('loginState', (l) => {
      snap.loginNeeded = l.kind === 'awaiting-code' || l.kind === 'starting' || l.kind === 'failed'
      update()
    }),
  ]
  update()
  return () => offs.forEach((off) => off())
}
