import { useAppStore } from '../../store/app-store'

export function Home(): React.JSX.Element {
  const load = useAppStore((s) => s.load)
  const version = useAppStore((s) => s.version)
  const taskCount = useAppStore((s) => Object.keys(s.tasks).length)

  switch (load.kind) {
    case 'loading':
      return <p className="muted">Connecting to the Makima core…</p>
    case 'error':
      return (
        <p role="alert" className="error">
          {load.message}
        </p>
      )
    case 'ready':
      return (
        <section className="hello">
          <h1>Makima</h1>
          <dl>
            <dt>Version</dt>
            <dd data-testid="version">{version?.app}</dd>
            <dt>Mode</dt>
            <dd>{version?.mode}</dd>
            <dt>Tasks</dt>
            <dd data-testid="task-count">{taskCount}</dd>
          </dl>
        </section>
      )
  }
}
