// Desktop notifications for what needs the user: a supervisor's question, a login, a finished task.
// Clicking one brings the window forward.
import { Notification } from 'electron'
import type { CoreEvents } from '../core/events'

export interface NotifyOptions {
  events: CoreEvents
  show(): void
  /** Whether the window is focused (no notification then: the UI already shows it). */
  focused(): boolean
}

export function wireNotifications(opts: NotifyOptions): () => void {
  const notify = (title: string, body: string) => {
    if (opts.focused() || !Notification.isSupported()) return
    const n = new Notification({ title, body: body.length > 240 ? `${body.slice(0, 240)}…` : body })
    n.on('click', () => opts.show())
    n.show()
  }
  const seenQuestions = new Set<string>()
  const offs = [
    opts.events.on('questionUpdated', (q) => {
      if (q.state !== 'pending' || seenQuestions.has(q.id)) return
      seenQuestions.add(q.id)
      notify('An agent has a question', q.question)
    }),
    opts.events.on('authRequired', () => notify('Sign in to Claude', 'An agent stopped because its Claude login expired.')),
    opts.events.on('taskUpdated', (t) => {
      if (t.state === 'failed') notify(`Task failed: ${t.name}`, t.errorMessage ?? 'The agent stopped with an error.')
    }),
  ]
  return () => offs.forEach((off) => off())
}
