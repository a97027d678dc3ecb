// Claude's login ran out: show the link, take the pasted code, restart the tasks that stopped.
import { useState } from 'react'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'
import { AgentKeyForm, isAgentName } from './AgentKeyForm'

export function LoginBanner(): React.JSX.Element | null {
  const login = useAppStore((s) => s.login)
  const required = useAppStore((s) => s.authRequired)
  const notify = useAppStore((s) => s.notify)
  const [code, setCode] = useState('')

  const call = async (fn: () => ReturnType<ReturnType<typeof getBridge>['startLogin']>) => {
    const r = await fn()
    if (r.ok) useAppStore.setState({ login: r.value })
    else notify('error', r.message)
  }

  if (login.kind === 'idle' && !required) return null
  if (login.kind === 'idle' && required?.hint) {
    // An agent without a login flow: say what it needs, and take its API key when it reads one.
    return (
      <div className="banner warn" role="alert" data-testid="login-banner">
        <span>
          {required.agent} needs credentials on {required.hostname ?? 'the daemon'}: {required.hint}.
        </span>
        {required.keyVar && isAgentName(required.agent) && <AgentKeyForm agent={required.agent} keyVar={required.keyVar} taskId={required.taskId} />}
        <button onClick={() => useAppStore.setState({ authRequired: null })}>Dismiss</button>
      </div>
    )
  }
  if (login.kind === 'succeeded') {
    return (
      <div className="banner ok" role="status">
        Signed in to Claude.
        <button
          onClick={() =>
            void getBridge()
              .restartAuthFailedTasks()
              .then((r) => {
                if (r.ok) notify('info', `Restarted ${r.value.restarted.length} task(s)`)
                useAppStore.setState({ authRequired: null, login: { kind: 'idle' } })
              })
          }
        >
          Restart stopped tasks
        </button>
      </div>
    )
  }
  return (
    <div className="banner warn" role="alert" data-testid="login-banner">
      {login.kind === 'idle' && (
        <>
          <span>An agent needs you to sign in to Claude again.</span>
          <button className="primary" onClick={() => void call(() => getBridge().startLogin())}>
            Sign in
          </button>
        </>
      )}
      {login.kind === 'starting' && <span>Opening the sign-in flow…</span>}
      {login.kind === 'awaiting-code' && (
        <form
          className="login-form"
          onSubmit={(e) => {
            e.preventDefault()
            const c = code.trim()
            setCode('')
            if (c) void call(() => getBridge().submitAuthCode({ code: c }))
          }}
        >
          <span>{login.retry ? 'That code did not work; try again.' : '1. Open the sign-in page. 2. Paste the code here.'}</span>
          <a href={login.loginUrl} target="_blank" rel="noreferrer">
            Open sign-in page
          </a>
          <input type="password" autoComplete="off" value={code} onChange={(e) => setCode(e.target.value)} placeholder="Paste code" aria-label="Authorization code" />
          <button type="submit" className="primary">
            Submit
          </button>
          <button type="button" onClick={() => void call(() => getBridge().cancelLogin())}>
            Cancel
          </button>
        </form>
      )}
      {login.kind === 'verifying' && <span>Checking the code…</span>}
      {login.kind === 'failed' && (
        <>
          <span>{login.message}</span>
          <button onClick={() => void call(() => getBridge().startLogin())}>Try again</button>
        </>
      )}
    </div>
  )
}
