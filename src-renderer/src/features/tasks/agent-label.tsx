// Which agent CLI runs a task, as a small tag in the task list and the task header.
import type { AgentName } from '../../../../src-preload/contract'

export const AGENT_LABELS: Record<AgentName, string> = { claude: 'Claude Code', codex: 'Codex', gemini: 'Gemini' }

export function AgentTag({ agent }: { agent: AgentName }): React.JSX.Element {
  return (
    <span className={`agent-tag agent-${agent}`} data-testid="agent-tag" title={`Agent: ${AGENT_LABELS[agent]}`}>
      {AGENT_LABELS[agent]}
    </span>
  )
}
