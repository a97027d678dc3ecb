// What needs the user shows even when the app is in the background: a count in the title (the
// taskbar / browser tab), and in the headless web UI a browser notification for each new question
// (the desktop app has native notifications from main).
import { useEffect, useRef } from 'react'
import { useAppStore } from '../../store/app-store'

export function useAttention(): void {
  const questions = useAppStore((s) => s.questions)
  const login = useAppStore((s) => s.login)
  const seen = useRef(new Set<string>())

  const pending = Object.values(questions).filter((q) => q.state === 'pending')
  const needsLogin = login.kind === 'awaiting-code'
  const count = pending.length + (needsLogin ? 1 : 0)

  useEffect(() => {
    document.title = count > 0 ? `(${count}) Makima` : 'Makima'
  }, [count])

  useEffect(() => {
    const web = !window.makima && typeof Notification !== 'undefined'
    for (const q of pending) {
      if (seen.current.has(q.id)) continue
      seen.current.add(q.id)
      if (web && document.hidden && Notification.permission === 'granted') new Notification('An agent has a question', { body: q.question })
    }
  }, [pending])

  // Ask once, on the user's first click (browsers only allow it from a gesture).
  useEffect(() => {
    if (window.makima || typeof Notification === 'undefined' || Notification.permission !== 'default') return
    const ask = () => void Notification.requestPermission().catch(() => undefined)
    window.addEventListener('click', ask, { once: true })
    return () => window.removeEventListener('click', ask)
  }, [])
}
