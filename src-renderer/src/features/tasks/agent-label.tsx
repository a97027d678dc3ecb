// Which agent CLI runs a task, as a small tag in the task list and the task header.
import type { AgentName } from '../../../../src-preload/contract'

export const AGENT_LABELS: Record<AgentName, string> = { claude: 'Claude Code', codex: 'Codex', gemini: 'Gemini', opencode: 'OpenCode' }

/** A built-in agent's label; a custom agent is shown by its configured name. */
export const agentLabel = (agent: string): string => (Object.hasOwn(AGENT_LABELS, agent) ? AGENT_LABELS[agent as AgentName] : agent)

/** Short names for the narrow task list (the header and the tooltip keep the full one). */
const SHORT_LABELS: Partial<Record<AgentName, string>> = { claude: 'Claude' }

export function AgentTag({ agent, short = false }: { agent: string; short?: boolean }): React.JSX.Element {
  const label = agentLabel(agent)
  return (
    <span className={`agent-tag agent-${agent}`} data-testid="agent-tag" title={`Agent: ${label}`}>
      {(short && SHORT_LABELS[agent as AgentName]) || label}
    </span>
  )
}
