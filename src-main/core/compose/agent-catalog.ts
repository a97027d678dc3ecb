// The agents this core can run: the built-in ones and the custom ones from the config (a command
// speaking a built-in dialect), by name — for the picker, the transcript, the ports and the
// checks at every door that names an agent (bridge, makima CLI, server).
import type { AgentInfo } from '../../../src-preload/contract'
import { adapterFor, customAdapter } from '../agents/adapters'
import { AGENT_NAMES, isAgentName, type AgentAdapter } from '../agents/adapters/types'
import type { Config } from '../config/config'

export interface AgentCatalog {
  readonly defaultAgent: string
  list(): AgentInfo[]
  has(name: string): boolean
  /** The adapter a task's agent runs with; an unknown or absent name reads as Claude's. */
  adapter(name: string | undefined): AgentAdapter
}

export function agentCatalog(agents: Config['agents']): AgentCatalog {
  const custom = new Map(Object.entries(agents.custom).map(([name, c]) => [name, { ...c, adapter: customAdapter(name, c.dialect) }]))
  return {
    defaultAgent: agents.default,
    list: () => [
      ...AGENT_NAMES.map((n) => ({ name: n, label: adapterFor(n).displayName, dialect: n, custom: false })),
      ...[...custom].map(([name, c]) => ({ name, label: name, dialect: c.dialect, custom: true })),
    ],
    has: (name) => isAgentName(name) || custom.has(name),
    adapter: (name) => custom.get(name ?? '')?.adapter ?? adapterFor(isAgentName(name) ? name : 'claude'),
  }
}
