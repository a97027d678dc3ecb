// The API key of an agent without a login flow (Codex, Gemini): sent once to the core, which keeps it
// like the Claude token and gives it to the agent in its environment; the stopped task restarts.
import { useState } from 'react'
import { AGENT_NAMES, type AgentName } from '../../../../src-preload/contract'
import { getBridge } from '../../bridge'
import { useAppStore } from '../../store/app-store'

export const isAgentName = (v: unknown): v is AgentName => typeof v === 'string' && (AGENT_NAMES as readonly string[]).includes(v)

export function AgentKeyForm({ agent, keyVar, taskId }: { agent: AgentName; keyVar: string; taskId: string | null }): React.JSX.Element {
  const notify = useAppStore((s) => s.notify)
  const [key, setKey] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = async () => {
    const k = key.trim()
    if (!k) return
    setBusy(true)
    const r = await getBridge().setAgentKey({ agent, key: k, ...(taskId ? { taskId } : {}) })
    setBusy(false)
    if (!r.ok) return notify('error', r.message)
    setKey('')
    notify('info', r.value.restarted ? 'Key saved; the task restarted.' : 'Key saved.')
    useAppStore.setState({ authRequired: null })
  }
  return (
    <form
      className="login-form"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} placeholder={keyVar} aria-label={`${keyVar} API key`} data-testid="agent-key" />
      <button type="submit" className="primary" disabled={busy || !key.trim()}>
        {taskId ? 'Save key and restart' : 'Save key'}
      </button>
    </form>
  )
}
