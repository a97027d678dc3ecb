// The adapters by name. Claude is the default agent.
import { claudeAdapter } from './claude'
import { codexAdapter } from './codex'
import { geminiAdapter } from './gemini'
import { opencodeAdapter } from './opencode'
import { isAgentName, type AgentAdapter, type AgentName } from './types'

const ADAPTERS: Record<AgentName, AgentAdapter | undefined> = { claude: claudeAdapter, codex: codexAdapter, gemini: geminiAdapter, opencode: opencodeAdapter }

export function adapterFor(name: AgentName | undefined): AgentAdapter {
  const a = ADAPTERS[name ?? 'claude']
  if (!a) throw new Error(`no adapter for agent '${name}'`)
  return a
}

/** A custom agent: the adapter of the dialect it speaks, shown under its own name. */
export function customAdapter(name: string, dialect: AgentName): AgentAdapter {
  return { ...adapterFor(dialect), displayName: name }
}

/** The adapter of a task's agent: what its port runs (custom agents too), else the built-in one. */
export function agentAdapter(ports: { adapterOf?(agent: string | undefined): AgentAdapter | undefined }, agent: string | undefined): AgentAdapter {
  return ports.adapterOf?.(agent) ?? adapterFor(isAgentName(agent) ? agent : 'claude')
}
